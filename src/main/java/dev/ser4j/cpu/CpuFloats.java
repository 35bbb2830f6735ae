package dev.ser4j.cpu;

import dev.ser4j.backend.FloatBuf;

import java.util.Objects;

/** A CPU float buffer: {@code length} floats of {@code array} starting at {@code offset}. */
public record CpuFloats(float[] array, int offset, int length0) implements FloatBuf {
    public CpuFloats {
        Objects.checkFromIndexSize(offset, length0, array.length);
    }

    public CpuFloats(float[] array) {
        this(array, 0, array.length);
    }

    @Override
    public long length() { return length0; }

    @Override
    public CpuFloats slice(long off, long len) {
        Objects.checkFromIndexSize(off, len, length0);
        return new CpuFloats(array, offset + (int) off, (int) len);
    }

    @Override
    public CpuFloats slice(long off) { return slice(off, length0 - off); }
}
