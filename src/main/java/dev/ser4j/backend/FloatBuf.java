package dev.ser4j.backend;

/**
 * A float32 buffer owned by a {@link Backend}: a heap array slice on the CPU, device memory on a GPU.
 * Slices share storage with their parent, so parameters can be views into one contiguous block.
 */
public interface FloatBuf {
    long length();

    FloatBuf slice(long offset, long length);

    default FloatBuf slice(long offset) {
        return slice(offset, length() - offset);
    }
}
