package dev.ser4j.cuda;

import java.lang.foreign.MemorySegment;

/**
 * One device allocation: a zero-length segment holding the device address (never dereferenced on the host) and
 * its size in bytes. Owned by the {@link CudaBackend} that allocated it; freed by {@code free} or its close.
 * {@code requested} is the size asked for (allocations are at least 16 bytes), so {@code free} can tell the
 * buffer itself from a slice of it.
 */
record DeviceBuffer(MemorySegment ptr, long bytes, long requested) {
    long address() { return ptr.address(); }

    /** The address {@code byteOffset} bytes in, as a zero-length segment to pass to a native call. */
    MemorySegment at(long byteOffset) {
        if (byteOffset < 0 || byteOffset > bytes) throw new IndexOutOfBoundsException(byteOffset + " outside " + bytes + " bytes");
        return MemorySegment.ofAddress(ptr.address() + byteOffset);
    }
}
