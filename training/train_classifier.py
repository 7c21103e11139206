"""Reproduce the shipped classifier weights (src/flashpoint/data/classifier/heads.npz, labels.json).

    python training/make_examples.py     # (re)generate the template examples (deterministic)
    python training/train_classifier.py  # train the ACLED + PLOVER heads

Needs scikit-learn (training only) and, for the PLOVER heads, the shared dev data
(FLASHPOINT_DATA or ../shared/data). Same code path as `flashpoint train`.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    import make_examples

    from flashpoint.events.classify import train_classifier

    if not (HERE / "examples" / "generated_train.jsonl").is_file():
        make_examples.main()
    train_classifier(examples_dir=HERE / "examples")
