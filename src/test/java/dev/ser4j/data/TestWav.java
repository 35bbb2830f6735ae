package dev.ser4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes tiny valid WAV files for data-set tests: the 44-byte RIFF header, then 16-bit PCM samples. */
final class TestWav {
    private TestWav() {}

    /** A 16 kHz mono 16-bit file of {@code samples} samples of a quiet ramp; parent folders are created. */
    static Path write(Path file, int samples) throws IOException {
        int rate = 16000, channels = 1, bits = 16, data = samples * channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes()).putInt(data);
        for (int i = 0; i < samples; i++) b.putShort((short) (i % 200 - 100));
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, b.array());
    }
}
