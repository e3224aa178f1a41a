#!/usr/bin/env python3
"""Generates a realistic synthetic source tree for benchmarks (deterministic for a given seed).

Nested folders (a monorepo-like shape: packages > modules > src dirs), .gitignore files that
exclude build output, a size mix (mostly small source files, some large ones, a few binaries),
text in several languages. Usage: generate-tree.py DIR [--files N] [--seed S]
"""
import argparse
import os
import random

WORDS = ("index search query vector token chunk lucene quarry river stone parse config file "
         "user account request response server client cache batch stream buffer thread lock "
         "commit manifest hash delete rename embed model score rank fusion filter path glob").split()
EXTENSIONS = [(".java", 30), (".py", 20), (".ts", 15), (".go", 10), (".md", 10), (".txt", 5),
              (".json", 5), (".yaml", 5)]


def body(rng, ext, target_bytes):
    lines = []
    size = 0
    n = 0
    while size < target_bytes:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
        if ext == ".md":
            line = ("## " + words.title()) if n % 12 == 0 else words + "."
        elif ext in (".json", ".yaml"):
            line = f'  "{rng.choice(WORDS)}_{n}": "{words}",'
        else:
            name = "".join(w.title() for w in words.split()[:3])
            line = f"    void {name[0].lower() + name[1:]}{n}() {{ /* {words} */ }}"
        lines.append(line)
        size += len(line) + 1
        n += 1
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    exts = [e for e, w in EXTENSIONS for _ in range(w)]
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, ".gitignore"), "w") as f:
        f.write("build/\n*.class\nnode_modules/\n")
    written = 0
    pkg = 0
    while written < args.files:
        pkg_dir = os.path.join(args.dir, f"pkg{pkg:04d}")
        for module in range(rng.randint(2, 6)):
            src = os.path.join(pkg_dir, f"module{module}", "src", "main", f"part{rng.randint(0, 3)}")
            os.makedirs(src, exist_ok=True)
            if rng.random() < 0.3:
                with open(os.path.join(pkg_dir, f"module{module}", ".gitignore"), "w") as f:
                    f.write("generated/\n*.tmp\n")
                gen = os.path.join(pkg_dir, f"module{module}", "generated")
                os.makedirs(gen, exist_ok=True)
                with open(os.path.join(gen, "Ignored.java"), "w") as f:
                    f.write("class Ignored {}\n")
            build = os.path.join(pkg_dir, f"module{module}", "build")
            os.makedirs(build, exist_ok=True)
            with open(os.path.join(build, "out.class"), "wb") as f:
                f.write(b"\xca\xfe\xba\xbe" + bytes(rng.getrandbits(8) for _ in range(64)))
            for _ in range(rng.randint(10, 60)):
                if written >= args.files:
                    break
                ext = rng.choice(exts)
                r = rng.random()
                target = rng.randint(200, 4_000) if r < 0.8 else rng.randint(4_000, 40_000) if r < 0.99 else rng.randint(40_000, 200_000)
                path = os.path.join(src, f"file{written}{ext}")
                if rng.random() < 0.005:
                    with open(path.rsplit(".", 1)[0] + ".bin", "wb") as f:
                        f.write(bytes(rng.getrandbits(8) for _ in range(2048)))
                else:
                    with open(path, "w") as f:
                        f.write(body(rng, ext, target))
                written += 1
        pkg += 1
    print(f"{written} files under {args.dir}")


if __name__ == "__main__":
    main()
