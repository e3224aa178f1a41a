import os
import sys


class Store:
    """Keeps items on disk."""

    def __init__(self, root):
        self.root = root
        self.items = {}

    @staticmethod
    def key(name):
        return name.lower().strip()

    def load(self, name):
        path = os.path.join(self.root, name)
        with open(path) as f:
            return f.read()


def main():
    print(Store(sys.argv[1]).load("x"))
