package dev.ser4j.cuda;

import dev.ser4j.backend.IntBuf;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** An int buffer in device memory: {@code length} ints of {@code base} from int {@code offset}. */
record CudaInts(CudaBackend owner, DeviceBuffer base, long offset, long length) implements IntBuf {
    CudaInts {
        Objects.checkFromIndexSize(offset, length, base.bytes() / Integer.BYTES);
    }

    @Override
    public CudaInts slice(long off, long len) {
        Objects.checkFromIndexSize(off, len, length);
        return new CudaInts(owner, base, offset + off, len);
    }

    MemorySegment ptr() { return base.at(offset * Integer.BYTES); }

    long bytes() { return length * Integer.BYTES; }
}
