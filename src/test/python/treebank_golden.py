#!/usr/bin/env python3
"""Writes the expected tokens for TokenizerTest with NLTK itself (Debian: apt-get install python3-nltk).

Input: src/test/resources/dev/ser4j/text/transcripts.txt, one transcript per line.
Output: src/test/resources/dev/ser4j/text/treebank-golden.tsv, "transcript<TAB>tokens joined by single spaces".

The pipeline mirrors dev.ser4j.text.Tokenizer: drop [bracketed] markers, map typographic quotes to ASCII,
split sentences (NLTK's Punkt with default parameters; the transcripts avoid abbreviations, where the Java
rule and an untrained Punkt differ), lower-case, then TreebankWordTokenizer on each sentence.
"""
import pathlib
import re

import nltk
from nltk.tokenize import TreebankWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer

here = pathlib.Path(__file__).resolve().parents[1] / "resources" / "dev" / "ser4j" / "text"
treebank = TreebankWordTokenizer()
punkt = PunktSentenceTokenizer()


def tokens(text):
    text = re.sub(r"\[[^\[\]]*\]", " ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    out = []
    for sentence in punkt.tokenize(text):
        out += treebank.tokenize(sentence.lower())
    return out


lines = [l for l in (here / "transcripts.txt").read_text(encoding="utf-8").split("\n") if l]
with open(here / "treebank-golden.tsv", "w", encoding="utf-8") as f:
    f.write(f"# made by src/test/python/treebank_golden.py with NLTK {nltk.__version__}\n")
    for line in lines:
        assert "\t" not in line
        f.write(line + "\t" + " ".join(tokens(line)) + "\n")
