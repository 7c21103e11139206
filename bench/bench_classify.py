"""Classifier throughput: sentences/s for embed + ACLED head (+ PLOVER heads), and whole stories
through the story-level PLOVER head, on N threads.

    python bench/bench_classify.py [--n 2000] [--threads 2]
"""
import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    a = ap.parse_args()
    os.environ["FLASHPOINT_ORT_THREADS"] = str(a.threads)
    import make_examples

    from flashpoint.events.classify import get_classifier
    from flashpoint.nlp.embed import embed

    train, held = make_examples.generate(seed=99)
    texts = [r["text"] for r in train + held]
    random.Random(0).shuffle(texts)
    texts = (texts * (a.n // len(texts) + 1))[: a.n]
    clf = get_classifier()
    clf.predict(texts[:32])  # warm up
    cpu = time.process_time  # CPU seconds of this process, all threads (the machine is shared)
    t0, c0 = time.perf_counter(), cpu()
    X = embed(texts, batch_size=a.batch)
    t1, c1 = time.perf_counter(), cpu()
    clf.predict(texts, X=X)
    t2, c2 = time.perf_counter(), cpu()
    clf.predict_plover(texts, X=X)
    t3, c3 = time.perf_counter(), cpu()
    # whole stories (8 sentences each) through the story-level PLOVER head
    stories = ["\n".join(texts[i:i + 8]) for i in range(0, len(texts) - 7, 8)]
    t4, c4 = time.perf_counter(), cpu()
    clf.predict_plover(stories)
    t5, c5 = time.perf_counter(), cpu()
    n = len(texts)
    mean_words = sum(len(t.split()) for t in texts) / n
    print(f"sentences={n} mean_words={mean_words:.1f} threads={a.threads} batch={a.batch} "
          f"loadavg_1min={os.getloadavg()[0]:.1f} (other processes slow this down)")
    print(f"embed: {n / (t1 - t0):.0f} sent/s")
    print(f"embed + ACLED head: {n / (t2 - t0):.0f} sent/s")
    print(f"embed + ACLED + PLOVER heads: {n / (t3 - t0):.0f} sent/s")
    print(f"PLOVER story head on {len(stories)} 8-sentence stories: {len(stories) / (t5 - t4):.0f} stories/s "
          f"= {8 * len(stories) / (t5 - t4):.0f} sent/s")
    # CPU-time view: sentences per CPU-second, and the rate {threads} fully available cores would give
    for name, cs in (("embed + ACLED + PLOVER heads", c3 - c0), ("PLOVER story head", c5 - c4)):
        k = n if name.startswith("embed") else 8 * len(stories)
        print(f"CPU: {name}: {cs:.2f} CPU-s for {k} sentences = {k / cs:.0f} sent per CPU-s "
              f"-> {a.threads * k / cs:.0f} sent/s on {a.threads} free cores")


if __name__ == "__main__":
    main()
