package dev.ser4j.cuda;

import dev.ser4j.bindings.cudart.Cudart;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * Page-locked host memory for asynchronous copies, used as a ring: {@link #take} hands out the next region,
 * {@link #copied} records an event after the copy that used it. When the ring wraps, the host waits for that
 * event, i.e. for the newest copy enqueued (the stream runs copies in order), before a region is overwritten;
 * in the training loop the copies it waits for finished before the previous step's loss was read, so the wait
 * is free. A request larger than the ring replaces it with a bigger one.
 */
final class PinnedStaging implements AutoCloseable {
    private static final long ALIGN = 256, INITIAL = 16L << 20;

    private final Cudart rt;
    private final MemorySegment stream;
    private final MemorySegment event;
    private MemorySegment pinned;       // host segment of `capacity` bytes, or null before the first use
    private long capacity, cursor;
    private boolean pending;

    PinnedStaging(Cudart rt, MemorySegment stream) {
        this.rt = rt;
        this.stream = stream;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cell = a.allocate(ADDRESS);
            CudaStatus.cuda(rt, "cudaEventCreateWithFlags", rt.cudaEventCreateWithFlags(cell, Cudart.cudaEventDisableTiming));
            event = cell.get(ADDRESS, 0);
        }
    }

    /** The next {@code bytes} of pinned memory, free to overwrite. */
    MemorySegment take(long bytes) {
        if (bytes > capacity) {
            waitForCopies();
            freePinned();
            capacity = Math.max(INITIAL, Long.highestOneBit(bytes) << 1);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment cell = a.allocate(ADDRESS);
                CudaStatus.cuda(rt, "cudaMallocHost(" + capacity + " bytes)", rt.cudaMallocHost(cell, capacity));
                pinned = cell.get(ADDRESS, 0).reinterpret(capacity);
            }
            cursor = 0;
        } else if (cursor + bytes > capacity) {
            waitForCopies();
            cursor = 0;
        }
        MemorySegment region = pinned.asSlice(cursor, bytes);
        cursor += (bytes + ALIGN - 1) / ALIGN * ALIGN;
        return region;
    }

    /** Call after enqueuing the copy that uses the region last taken. */
    void copied() {
        CudaStatus.cuda(rt, "cudaEventRecord", rt.cudaEventRecord(event, stream));
        pending = true;
    }

    private void waitForCopies() {
        if (pending) CudaStatus.cuda(rt, "cudaEventSynchronize", rt.cudaEventSynchronize(event));
        pending = false;
    }

    private void freePinned() {
        if (pinned != null) CudaStatus.cuda(rt, "cudaFreeHost", rt.cudaFreeHost(pinned));
        pinned = null;
        capacity = 0;
    }

    @Override
    public void close() {
        try {
            waitForCopies();
            freePinned();
        } finally {
            CudaStatus.cuda(rt, "cudaEventDestroy", rt.cudaEventDestroy(event));
        }
    }
}
