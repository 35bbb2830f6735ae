package dev.ser4j.cuda;

import dev.ser4j.backend.FloatBuf;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A float buffer in device memory: {@code length} floats of {@code base} from float {@code offset}. */
record CudaFloats(CudaBackend owner, DeviceBuffer base, long offset, long length) implements FloatBuf {
    CudaFloats {
        Objects.checkFromIndexSize(offset, length, base.bytes() / Float.BYTES);
    }

    @Override
    public CudaFloats slice(long off, long len) {
        Objects.checkFromIndexSize(off, len, length);
        return new CudaFloats(owner, base, offset + off, len);
    }

    /** The device address of element 0. */
    MemorySegment ptr() { return base.at(offset * Float.BYTES); }

    long bytes() { return length * Float.BYTES; }
}
