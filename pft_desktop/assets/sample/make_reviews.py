"""Writes reviews.csv, the sample data the app offers on its first screen.

Short product reviews assembled from phrases written for this project, labelled positive or
negative, with a few neutral-sounding openers so the label is not in the first word. Seeded, so
the file is the same every time: python pft_desktop/assets/sample/make_reviews.py
"""

import csv
import random
from pathlib import Path

PRODUCTS = ["kettle", "headphones", "desk lamp", "backpack", "coffee grinder", "keyboard",
            "running shoes", "phone case", "blender", "office chair", "water bottle",
            "bike light", "toaster", "monitor", "umbrella", "rice cooker", "tent", "mouse"]
OPENERS = ["I bought this {p} last month.", "Got the {p} as a gift.", "We use the {p} daily.",
           "Ordered the {p} on a whim.", "This is my second {p}.", "Picked up the {p} on sale.",
           "", "", ""]
POSITIVE = [
    "It works perfectly and feels solid.", "Setup took two minutes and it just works.",
    "Really happy with it, would buy again.", "The build quality is excellent for the price.",
    "Quiet, quick and easy to clean.", "Exceeded my expectations in every way.",
    "Comfortable to use for hours.", "Battery lasts far longer than advertised.",
    "Looks great on my desk and does the job well.", "My whole family loves it.",
    "Arrived early and was packed with care.", "Best purchase I have made this year.",
    "Sturdy, well designed and a pleasure to use.", "Does exactly what it promises.",
    "Customer service answered within an hour and sorted everything.",
    "Still going strong after months of daily use.", "Great value, no complaints at all.",
]
NEGATIVE = [
    "It stopped working after a week.", "The plastic feels cheap and already cracked.",
    "Returned it the next day.", "Much louder than the description suggests.",
    "Instructions were useless and a part was missing.", "Would not recommend it to anyone.",
    "The battery barely lasts an afternoon.", "It arrived scratched and the seller ignored me.",
    "Uncomfortable after ten minutes.", "Broke the first time I dropped it.",
    "Overpriced for what you get.", "The buttons stick and the light flickers.",
    "Smells of chemicals even after airing it out.", "Complete waste of money.",
    "Support never replied to my emails.", "Looks nothing like the photos.",
    "Disappointing, it feels flimsy and rattles.",
]
CLOSERS_POS = ["Five stars.", "Highly recommended!", "Love it.", "", "", ""]
CLOSERS_NEG = ["One star.", "Avoid.", "Very disappointed.", "", "", ""]


def make(rows: int = 600, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < rows:
        positive = rng.random() < 0.5
        product = rng.choice(PRODUCTS)
        body = rng.sample(POSITIVE if positive else NEGATIVE, rng.choice([1, 1, 2]))
        parts = [rng.choice(OPENERS).format(p=product), *body,
                 rng.choice(CLOSERS_POS if positive else CLOSERS_NEG)]
        text = " ".join(part for part in parts if part)
        if text not in seen:
            seen.add(text)
            out.append((text, "positive" if positive else "negative"))
    return out


if __name__ == "__main__":
    target = Path(__file__).with_name("reviews.csv")
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review", "sentiment"])
        writer.writerows(make())
    print(f"wrote {target}")
