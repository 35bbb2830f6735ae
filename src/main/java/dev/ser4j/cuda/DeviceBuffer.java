package dev.ser4j.cuda;

import java.lang.foreign.MemorySegment;

/**
 * One device allocation: a zero-length segment holding the device address (never dereferenced on the host) and
 * its size in bytes. Owned by the {@link CudaBackend} that allocated it; freed by {@code free} or its close.
 */
record DeviceBuffer(MemorySegment ptr, long bytes) {
    long address() { return ptr.address(); }

    /** The address {@code byteOffset} bytes in, as a zero-length segment to pass to a native call. */
    MemorySegment at(long byteOffset) {
        if (byteOffset < 0 || byteOffset > bytes) throw new IndexOutOfBoundsException(byteOffset + " outside " + bytes + " bytes");
        return MemorySegment.ofAddress(ptr.address() + byteOffset);
    }
}
