"""GroupKFold cross-validation (groups = NGEC headline) of the PLOVER type head on the NGEC TRAIN
four fifths only; the held-back fifth (sha1(title) % 5 == 0) is never read. Used to choose the
hyper-parameters in flashpoint.events.classify.PLOVER_HYPER.

    python training/cv_plover.py                       # shipped hyper-parameters
    python training/cv_plover.py C=2 tfidf_scale=1.0   # try others
    python training/cv_plover.py partition_seed=1      # another random headline partition (sha1(headline + "1") % 5)
    python training/cv_plover.py own_batch2_only=true  # without the own examples written from CV errors (less optimistic)
"""
import json
import sys

if __name__ == "__main__":
    from flashpoint.events.classify import cv_plover

    over = {}
    for a in sys.argv[1:]:
        k, _, v = a.partition("=")
        over[k] = json.loads(v)
    res = cv_plover(**over)
    print(json.dumps({k: res[k] for k in ("n", "type_acc", "per_type", "hyper")}, indent=1))
