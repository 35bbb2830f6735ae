package dev.ser4j.bench;

import dev.ser4j.audio.Wav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A load test of a running {@code ./ser4j serve}: for each concurrency (default 1, 8 and 32) that many clients send
 * requests back to back for a while (default 20 s), a mix of good WAVs of 2 to 6 s (raw and multipart, with
 * transcripts; 88%), malformed WAVs (6%), a bad query parameter (3%) and bodies one MB over the limit (3%). It prints
 * requests per second, the p50 and p99 latency of the answered (200) requests, the count of each status, the 5xx
 * count and the server's resident memory (VmRSS of {@code /proc/PID/status}) over time. Exit status 1 when any
 * response was a 5xx or any request failed without one. {@code bench/serve-load.sh} starts a server and runs it.
 *
 * <pre>
 * java -cp "bench/target/ser4j-bench.jar:bench/target/lib/*" dev.ser4j.bench.ServeLoad --url http://127.0.0.1:8080 --pid PID
 *     [--seconds 20] [--concurrency 1,8,32] [--max-body-mb 50]
 * </pre>
 */
public final class ServeLoad {
    record Level(int concurrency, long requests, double seconds, double p50, double p99, Map<Integer, Long> statuses, long failures,
                 long rssStart, long rssEnd, long rssMax) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        URI url = URI.create(a.getOrDefault("--url", "http://127.0.0.1:8080"));
        long pid = Long.parseLong(a.getOrDefault("--pid", "0"));
        double seconds = Double.parseDouble(a.getOrDefault("--seconds", "20"));
        int[] levels = Arrays.stream(a.getOrDefault("--concurrency", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        long maxBody = (long) (Double.parseDouble(a.getOrDefault("--max-body-mb", "50")) * 1e6);

        ServeLoad load = new ServeLoad(url, maxBody);
        RssSampler rss = new RssSampler(pid);
        Thread sampler = Thread.ofPlatform().daemon().start(rss);
        load.run(2, 3);                                                  // warm-up: the JIT, the model instances
        System.out.printf("server %s, pid %d, %d processors here, %.0f s per level%n", url, pid, Runtime.getRuntime().availableProcessors(), seconds);
        List<Level> out = new ArrayList<>();
        for (int c : levels) {
            long r0 = rss.latest();
            Result r = load.run(c, seconds);
            out.add(new Level(c, r.requests, r.seconds, r.p50, r.p99, r.statuses, r.failures, r0, rss.latest(), rss.maxSince(r.startNanos)));
        }
        sampler.interrupt();
        System.out.println();
        System.out.println("concurrency  requests  req/s   p50 ms   p99 ms  statuses                          5xx  failed  RSS MB start/end/max");
        boolean bad = false;
        for (Level l : out) {
            long fivexx = l.statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
            bad |= fivexx > 0 || l.failures > 0;
            System.out.printf("%11d  %8d  %5.1f  %7.0f  %7.0f  %-32s  %3d  %6d  %d/%d/%d%n", l.concurrency, l.requests, l.requests / l.seconds, l.p50, l.p99,
                    l.statuses, fivexx, l.failures, l.rssStart >> 20, l.rssEnd >> 20, l.rssMax >> 20);
        }
        System.out.println();
        System.out.println("server RSS over time (MB, every 5 s): " + rss.timeline(5));
        System.exit(bad ? 1 : 0);
    }

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    private final List<byte[]> wavs = new ArrayList<>();
    private final List<String> transcripts = List.of("I can't believe you did that!", "What a wonderful surprise.", "I miss her so much.",
            "The meeting is on Monday at ten.", "Yes, I did quite a lot.", "");
    private final byte[] oversized;
    private static final String BOUNDARY = "ser4j-load-7f3a";

    ServeLoad(URI url, long maxBody) throws IOException {
        this.url = url;
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 16; i++) {
            int rate = i % 4 == 3 ? 44_100 : 16_000;
            wavs.add(wav(voice(rate, 2 + 4 * r.nextDouble(), r.nextLong()), rate));
        }
        this.oversized = new byte[(int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1_000_000)];
        System.arraycopy(wavs.getFirst(), 0, oversized, 0, 44);
    }

    record Result(long requests, double seconds, double p50, double p99, Map<Integer, Long> statuses, long failures, long startNanos) {}

    Result run(int concurrency, double seconds) throws InterruptedException {
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder failures = new LongAdder(), requests = new LongAdder();
        List<double[]> latencies = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            long seed = c * 7919L + start;
            clients.add(Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                double[] mine = new double[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        int status = send(r);
                        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                        if (status == 200 && n < mine.length) mine[n++] = (System.nanoTime() - t0) / 1e6;
                    } catch (IOException e) {
                        failures.increment();
                    } catch (InterruptedException e) {
                        return;
                    }
                    requests.increment();
                }
                latencies.add(Arrays.copyOf(mine, n));
            }));
        }
        for (Thread t : clients) t.join();
        double took = (System.nanoTime() - start) / 1e9;
        double[] all = latencies.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        return new Result(requests.sum(), took, percentile(all, 0.5), percentile(all, 0.99), counts, failures.sum(), start);
    }

    private int send(SplittableRandom r) throws IOException, InterruptedException {
        int kind = r.nextInt(100);
        byte[] wav = wavs.get(r.nextInt(wavs.size()));
        String t = transcripts.get(r.nextInt(transcripts.size()));
        HttpRequest.Builder b;
        if (kind < 73) {
            b = request("/v1/predict?transcript=" + URLEncoder.encode(t, StandardCharsets.UTF_8), "audio/wav", wav);
        } else if (kind < 88) {
            b = request("/v1/predict", "multipart/form-data; boundary=" + BOUNDARY, multipart(wav, t));
        } else if (kind < 94) {
            byte[] junk = Arrays.copyOf(wav, 44 + r.nextInt(200));
            junk[8 + r.nextInt(4)] ^= 0x55;                             // no longer RIFF....WAVE
            b = request("/v1/predict", "audio/wav", junk);
        } else if (kind < 97) {
            b = request("/v1/predict?segments=sometimes", "audio/wav", wav);
        } else {
            b = request("/v1/predict", "audio/wav", oversized);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(String pathAndQuery, String type, byte[] body) {
        return HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(120)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static byte[] multipart(byte[] wav, String transcript) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(wav.length + 400);
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(wav);
        out.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"transcript\"\r\n\r\n" + transcript + "\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    static byte[] wav(float[] x, int rate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.writePcm16(out, x, rate);
        return out.toByteArray();
    }

    /** A voiced sound: a harmonic tone with vibrato and a little noise. */
    static float[] voice(int rate, double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double f0 = 100 + 200 * r.nextDouble(), ph = 0;
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            ph += 2 * Math.PI * f0 * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * i / rate)) / rate;
            x[i] = (float) (0.2 * (Math.sin(ph) + 0.5 * Math.sin(2 * ph)) + 0.01 * r.nextGaussian());
        }
        return x;
    }

    /** The server's VmRSS once a second. */
    static final class RssSampler implements Runnable {
        private final Path status;
        private final List<long[]> samples = new CopyOnWriteArrayList<>();   // {nanoTime, bytes}

        RssSampler(long pid) {
            this.status = Path.of("/proc/" + pid + "/status");
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    sample();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException done) {
                // the test is over
            }
        }

        private void sample() {
            try {
                for (String line : Files.readAllLines(status))
                    if (line.startsWith("VmRSS:")) samples.add(new long[]{System.nanoTime(), Long.parseLong(line.replaceAll("\\D", "")) * 1024});
            } catch (IOException | NumberFormatException e) {
                // no such process (or not Linux): no figure
            }
        }

        long latest() {
            sample();
            return samples.isEmpty() ? 0 : samples.getLast()[1];
        }

        long maxSince(long nanos) {
            return samples.stream().filter(s -> s[0] >= nanos).mapToLong(s -> s[1]).max().orElse(0);
        }

        String timeline(int everySeconds) {
            if (samples.isEmpty()) return "(no /proc/PID/status)";
            StringBuilder sb = new StringBuilder();
            long t0 = samples.getFirst()[0], next = t0;
            for (long[] s : samples)
                if (s[0] >= next) {
                    sb.append(sb.isEmpty() ? "" : " ").append(s[1] >> 20);
                    next = s[0] + everySeconds * 1_000_000_000L;
                }
            return sb.toString();
        }
    }
}
