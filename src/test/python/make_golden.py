#!/usr/bin/env python3
"""Golden tensors for ser4j's model tests, from an independent PyTorch implementation of docs/model-spec.md.

Each case is one safetensors file in src/test/resources/golden/ holding, for a small seeded configuration:
  weights.<param>   the initial weights (float32; the Java test loads them)
  batch.<tensor>    the batch: audio [B,T,A], audio_len [B], tokens [B,M], text_len [B], labels [B], xvector [B,X]
  logits [B,4], loss []           forward with dropout off
  grad.<param>                    gradient of the mean cross-entropy for every trainable parameter
  adam3.<param>                   the weights after 3 steps of (clip_grad_norm_(1.0), Adam(lr=5e-4))
and the model configuration in __metadata__ (ser4j's keys) plus `case` and `frozen_embedding`.

Everything is computed in float64 from float32 inputs and weights, then stored as float32. Run it with Debian's
PyTorch (apt-get install python3-torch):  /usr/bin/python3 src/test/python/make_golden.py
CI does not run this script; it runs only the Java side (GoldenTest).
"""
import json
import struct
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = Path(__file__).resolve().parents[1] / "resources" / "golden"


def spu(h, lens, stats):
    """Masked pooling over time of h [B, T, C] for t < lens[b]: the requested blocks of [max | mean | std]."""
    T = h.shape[1]
    mask = (torch.arange(T)[None, :] < lens[:, None])[..., None]           # [B, T, 1]
    n = lens.clamp(min=1).to(h.dtype)[:, None]
    has = (lens > 0)[:, None]
    mx = h.masked_fill(~mask, float("-inf")).max(dim=1).values
    mx = torch.where(has, mx, torch.zeros_like(mx))
    out = [mx]
    if stats in ("spu", "swem"):
        mean = (h * mask).sum(dim=1) / n
        out.append(torch.where(has, mean, torch.zeros_like(mean)))
    if stats == "spu":
        var = (((h - mean[:, None, :]) * mask) ** 2).sum(dim=1) / n
        std = torch.sqrt(var + 1e-6)
        out.append(torch.where(has, std, torch.zeros_like(std)))
    return torch.cat(out, dim=1)


def multiscale(convs, x, lens):
    """'same' convolutions + ReLU of x [B, T, C] (zero past lens), concatenated, masked past lens: [B, T, F*K]."""
    T = x.shape[1]
    mask = (torch.arange(T)[None, :] < lens[:, None])[..., None]
    xt = (x * mask).transpose(1, 2)
    h = torch.cat([F.relu(conv(xt)) for conv in convs], dim=1).transpose(1, 2)
    return h * mask


class Model(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        v = c["variant"]
        self.audio = v != "text-cnn"
        self.text = v in ("text-cnn", "mscnn-spu", "mscnn-spu-att")
        self.att = v == "mscnn-spu-att"
        f = c["filters"]
        if self.audio:
            self.audio_conv = torch.nn.ModuleList(
                [torch.nn.Conv1d(c["audio_dim"], f, s, padding="same") for s in c["audio_kernels"]])
        if self.text:
            self.embedding = torch.nn.Embedding(c["vocab"], c["embed_dim"], padding_idx=0)
            self.text_conv = torch.nn.ModuleList(
                [torch.nn.Conv1d(c["embed_dim"], f, s, padding="same") for s in c["text_kernels"]])
        width = 0
        ca, ct = f * len(c["audio_kernels"]), f * len(c["text_kernels"])
        qa = 3 if c["audio_pooling"] == "spu" else 1
        if self.audio:
            width += qa * ca
        if c["xvector"]:
            width += c["xvector_dim"]
        if self.text:
            width += (3 if c["text_pooling"] == "spu" else 1) * ct
            if c["swem"]:
                width += 2 * c["embed_dim"]
        if self.att:
            width += qa * ct
        self.hidden = torch.nn.Linear(width, c["hidden"])
        self.output = torch.nn.Linear(c["hidden"], 4)

    def named(self):
        """Parameters under ser4j's checkpoint names (model spec table)."""
        out = {}
        if self.audio:
            for i, conv in enumerate(self.audio_conv):
                out[f"audio.conv.{i}.weight"] = conv.weight
                out[f"audio.conv.{i}.bias"] = conv.bias
        if self.text:
            out["text.embedding.weight"] = self.embedding.weight
            for i, conv in enumerate(self.text_conv):
                out[f"text.conv.{i}.weight"] = conv.weight
                out[f"text.conv.{i}.bias"] = conv.bias
        out["head.hidden.weight"] = self.hidden.weight
        out["head.hidden.bias"] = self.hidden.bias
        out["head.output.weight"] = self.output.weight
        out["head.output.bias"] = self.output.bias
        return out

    def forward(self, b):
        c, parts = self.c, []
        if self.audio:
            ha = multiscale(self.audio_conv, b["audio"], b["audio_len"])
            qa = spu(ha, b["audio_len"], c["audio_pooling"])
            parts.append(qa)
        if c["xvector"]:
            parts.append(b["xvector"])
        if self.text:
            tl = b["text_len"]
            mask = (torch.arange(b["tokens"].shape[1])[None, :] < tl[:, None])[..., None]
            e = self.embedding(b["tokens"]) * mask
            ht = multiscale(self.text_conv, e, tl)
            parts.append(spu(ht, tl, c["text_pooling"]))
            if c["swem"]:
                parts.append(spu(e, tl, "swem"))
            if self.att:
                B, G, C = qa.shape[0], qa.shape[1] // ht.shape[2], ht.shape[2]
                q = qa.view(B, G, C)                                       # queries: [max | mean | std]
                scores = torch.einsum("bgc,bkc->bgk", q, ht)               # no projection, no scaling
                valid = (torch.arange(ht.shape[1])[None, :] < tl[:, None])[:, None, :]
                p = torch.softmax(scores.masked_fill(~valid, -1e30), dim=2)
                s = torch.einsum("bgk,bkc->bgc", p, ht).reshape(B, G * C)
                parts.append(torch.where((tl > 0)[:, None], s, torch.zeros_like(s)))
        z = torch.cat(parts, dim=1)
        return self.output(F.relu(self.hidden(z)))


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, (dtype, t) in tensors.items():
        t = t.detach().contiguous()
        data = (t.to(torch.float32) if dtype == "F32" else t.to(torch.int32)).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for blob in blobs:
            f.write(blob)


def f32(t):
    """Rounds to float32 and back: the Java side starts from exactly these values."""
    return t.to(torch.float32).to(torch.float64)


def make_case(name, seed, variant, audio_len, text_len, T, M, xvector=False, audio_pooling="spu",
              text_pooling="spu", swem=None, frozen=False):
    torch.manual_seed(seed)
    text = variant in ("text-cnn", "mscnn-spu", "mscnn-spu-att")
    c = dict(variant=variant, xvector=xvector, audio_pooling=audio_pooling, text_pooling=text_pooling,
             swem=text if swem is None else swem, vocab=20 if text else 0, audio_dim=96, embed_dim=10,
             xvector_dim=8, filters=4, audio_kernels=[5, 7, 9, 11], text_kernels=[2, 3, 4, 5], hidden=12,
             classes=4, dropout=0.3)
    model = Model(c)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(f32(p))
        if text:
            model.embedding.weight[0].zero_()
    B = len(audio_len)
    alen, tlen = torch.tensor(audio_len), torch.tensor(text_len)
    audio = f32(torch.randn(B, T, 96)) * (torch.arange(T)[None, :] < alen[:, None])[..., None]
    tokens = torch.randint(1, c["vocab"] if text else 2, (B, M)) * (torch.arange(M)[None, :] < tlen[:, None])
    batch = dict(audio=audio, audio_len=alen, tokens=tokens, text_len=tlen,
                 labels=torch.randint(0, 4, (B,)), xvector=f32(torch.randn(B, 8)))
    params = model.named()
    if frozen:
        params["text.embedding.weight"].requires_grad_(False)
    weights = {k: v.detach().clone() for k, v in params.items()}

    logits = model(batch)
    loss = F.cross_entropy(logits, batch["labels"])
    loss.backward()
    trainable = {k: v for k, v in params.items() if v.requires_grad}
    grads = {k: v.grad.detach().clone() for k, v in trainable.items()}

    opt = torch.optim.Adam(trainable.values(), lr=5e-4, betas=(0.9, 0.999), eps=1e-8)
    for _ in range(3):
        opt.zero_grad()
        F.cross_entropy(model(batch), batch["labels"]).backward()
        torch.nn.utils.clip_grad_norm_(list(trainable.values()), 1.0)
        opt.step()

    meta = {k: (",".join(map(str, v)) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in c.items()}
    meta.update({"ser4j.model": "mscnn-spu-att", "labels": "angry,happy,sad,neutral", "case": name,
                 "frozen_embedding": str(frozen).lower(), "torch": torch.__version__})
    tensors = {}
    for k, v in weights.items():
        tensors["weights." + k] = ("F32", v)
    tensors["batch.audio"] = ("F32", batch["audio"])
    tensors["batch.audio_len"] = ("I32", alen)
    tensors["batch.tokens"] = ("I32", tokens)
    tensors["batch.text_len"] = ("I32", tlen)
    tensors["batch.labels"] = ("I32", batch["labels"])
    tensors["batch.xvector"] = ("F32", batch["xvector"])
    tensors["logits"] = ("F32", logits)
    tensors["loss"] = ("F32", loss.reshape(()))
    for k, v in grads.items():
        tensors["grad." + k] = ("F32", v)
    for k, v in params.items():
        tensors["adam3." + k] = ("F32", v)
    write_safetensors(OUT / f"{name}.safetensors", tensors, meta)
    print(f"{name}: loss {loss.item():.6f}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # Lengths cover: a length-1 audio, an empty transcript, sequences filling the padded length (even text
    # kernels reading past both ends), and shorter ones.
    make_case("mscnn-spu-att_xvector", 1, "mscnn-spu-att", [9, 1, 5, 7], [6, 0, 3, 1], 9, 6, xvector=True)
    make_case("mscnn-spu-att", 2, "mscnn-spu-att", [4, 9, 2], [2, 6, 5], 9, 6)
    make_case("mscnn-spu", 3, "mscnn-spu", [8, 3, 1], [6, 4, 0], 8, 6, xvector=True)
    make_case("audio-cnn", 4, "audio-cnn", [7, 1, 4], [0, 0, 0], 7, 1)
    make_case("audio-cnn-xvector", 5, "audio-cnn-xvector", [6, 2, 6], [0, 0, 0], 6, 1, xvector=True)
    make_case("text-cnn", 6, "text-cnn", [1, 1, 1], [5, 0, 2], 1, 5)
    make_case("ablation-max-pooling", 7, "mscnn-spu-att", [9, 5, 3], [4, 6, 1], 9, 6,
              audio_pooling="max", text_pooling="max")
    make_case("ablation-no-swem", 8, "mscnn-spu-att", [5, 8, 2], [3, 5, 6], 8, 6, swem=False)
    make_case("frozen-embedding", 9, "mscnn-spu-att", [6, 3], [4, 5], 6, 5, frozen=True)


if __name__ == "__main__":
    sys.exit(main())
