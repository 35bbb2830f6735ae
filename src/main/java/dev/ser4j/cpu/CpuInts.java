package dev.ser4j.cpu;

import dev.ser4j.backend.IntBuf;

import java.util.Objects;

/** A CPU int buffer: {@code length} ints of {@code array} starting at {@code offset}. */
public record CpuInts(int[] array, int offset, int length0) implements IntBuf {
    public CpuInts {
        Objects.checkFromIndexSize(offset, length0, array.length);
    }

    public CpuInts(int[] array) {
        this(array, 0, array.length);
    }

    @Override
    public long length() { return length0; }

    @Override
    public CpuInts slice(long off, long len) {
        Objects.checkFromIndexSize(off, len, length0);
        return new CpuInts(array, offset + (int) off, (int) len);
    }
}
