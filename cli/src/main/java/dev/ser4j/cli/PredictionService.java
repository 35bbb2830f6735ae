package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Segment;
import dev.ser4j.Speech;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;
import dev.ser4j.pipeline.SpeakerNorm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP/JSON service of {@code ./ser4j serve}: {@code POST /v1/predict} and {@code GET /healthz} on the JDK's
 * {@link HttpServer}, one virtual thread per request. No framework: two endpoints need none, and with virtual threads
 * a handler may simply block (reading the body, waiting for its batch) at the cost of a few hundred bytes, not a
 * platform thread. Predictions are micro-batched ({@link MicroBatcher}).
 *
 * <p>Limits, so that load never exhausts memory: a request's body is at most {@link Limits#maxBodyBytes} ({@code 413});
 * at most {@link Limits#maxQueue} requests are admitted at once, from their first byte read to their answer, and the
 * heap that admitted bodies may take (about {@value #HEAP_PER_BODY_BYTE} bytes per byte of WAV: the bytes, the samples
 * as floats, at 16 kHz, and their features) is held within {@link Limits#heapBudget} ({@code ./ser4j serve} gives
 * half of the heap its warmed-up model instances leave); a request beyond either gets {@code 429} with
 * {@code Retry-After}. A body that is refused is still read and discarded (up to twice the limit), so
 * that a client that sends it whole before reading the answer receives the answer rather than a reset connection.
 */
final class PredictionService implements AutoCloseable {
    /**
     * The service's limits.
     *
     * @param maxBodyBytes the largest request body
     * @param maxQueue     the most requests admitted at once (reading, queued or being predicted)
     * @param maxBatch     the most utterances per batch of the model
     * @param batchWait    how long the first request of a batch waits for others
     * @param heapBudget   bytes of heap that admitted requests may take
     */
    record Limits(long maxBodyBytes, int maxQueue, int maxBatch, Duration batchWait, long heapBudget) {
        static Limits of(long maxBodyBytes, int maxQueue, long heapBudget) {
            return new Limits(maxBodyBytes, maxQueue, 32, Duration.ofMillis(5), heapBudget);
        }
    }

    /** Heap bytes reserved per byte of body (raw bytes 1, float samples 2, at 16 kHz up to 4 from 8 kHz, features ~1.2). */
    static final int HEAP_PER_BODY_BYTE = 8;
    /** The longest a request waits for its prediction before it is answered 503. */
    static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    static final Set<String> WAV_TYPES = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "application/octet-stream");
    static final int MAX_SPEAKERS = 10_000;

    private final EmotionRecognizer ser;
    private final String modelName;
    private final Limits limits;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final MicroBatcher batcher;
    private final Semaphore admitted;
    private final Semaphore heapKib;
    private final boolean enrolls;
    private final Set<String> speakers = ConcurrentHashMap.newKeySet();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean stopping;

    private PredictionService(EmotionRecognizer ser, String modelName, InetSocketAddress at, int instances, Limits limits) throws IOException {
        this.ser = ser;
        this.modelName = modelName;
        this.limits = limits;
        this.admitted = new Semaphore(limits.maxQueue());
        this.heapKib = new Semaphore((int) Math.min(Integer.MAX_VALUE, limits.heapBudget() / 1024));
        this.enrolls = SpeakerNorm.parse("model", ser.speakerNormalization()) == SpeakerNorm.SPEAKER;
        this.batcher = new MicroBatcher(ser, instances, limits.maxBatch(), limits.batchWait().toNanos());
        this.server = HttpServer.create(at, 0);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving.
     *
     * @param ser       the model (closed by the caller, after {@link #stop})
     * @param modelName the model's name in {@code /healthz}
     * @param at        where to listen (port 0: any free port, see {@link #port})
     * @param instances how many batches run at once (the recognizer's instances)
     * @throws IOException if the address cannot be bound
     */
    static PredictionService start(EmotionRecognizer ser, String modelName, InetSocketAddress at, int instances, Limits limits) throws IOException {
        return new PredictionService(ser, modelName, at, instances, limits);
    }

    /** The port the service listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Prediction requests admitted now (counted against {@link Limits#maxQueue}). */
    int inHand() {
        return limits.maxQueue() - admitted.availablePermits();
    }

    /** Requests being handled now (reading, queued, predicted or answered). */
    int inFlight() {
        return inFlight.get();
    }

    /** How many responses had each status so far. */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Graceful stop: no new connection is accepted, requests in flight are finished (waiting at most {@code grace}),
     * then the batcher stops. The recognizer stays open (its owner closes it). Idempotent.
     */
    void stop(Duration grace) {
        if (stopping) return;
        stopping = true;
        server.stop((int) Math.max(1, Math.ceilDiv(grace.toMillis(), 1000)));
        batcher.close();
        handlers.shutdown();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    // ---- routing -------------------------------------------------------------------------------------------------

    /** A request's problem that the client can fix (or wait out), with its status and sentence. */
    private static final class Refused extends RuntimeException {
        final int status;
        final Map<String, String> headers;

        Refused(int status, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.headers = headers;
        }

        Refused(int status, String message) {
            this(status, message, Map.of());
        }
    }

    private void handle(HttpExchange ex) {
        inFlight.incrementAndGet();
        long t0 = System.nanoTime();
        try (ex) {
            String path = ex.getRequestURI().getPath(), method = ex.getRequestMethod();
            try {
                switch (path) {
                    case "/v1/predict" -> {
                        if (!method.equals("POST")) throw new Refused(405, path + " takes POST (a WAV body), not " + method, Map.of("Allow", "POST"));
                        predict(ex, t0);
                    }
                    case "/healthz" -> {
                        if (!method.equals("GET")) throw new Refused(405, path + " takes GET, not " + method, Map.of("Allow", "GET"));
                        health(ex);
                    }
                    default -> throw new Refused(404, "there is no " + path + " here; the service has POST /v1/predict and GET /healthz");
                }
            } catch (Refused r) {
                discard(ex.getRequestBody(), 2 * limits.maxBodyBytes());
                r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                error(ex, r.status, r.getMessage());
            } catch (InputException e) {
                discard(ex.getRequestBody(), 2 * limits.maxBodyBytes());
                error(ex, 400, e.getMessage());
            } catch (IllegalStateException closing) {
                ex.getResponseHeaders().set("Retry-After", "1");
                error(ex, 503, "the service cannot answer now (" + closing.getMessage() + "); try again later");
            } catch (IOException gone) {
                // the client went away: nothing to answer
            } catch (RuntimeException | Error e) {
                error(ex, 500, "internal error: " + e);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void health(HttpExchange ex) throws IOException {
        ObjectNode n = json.createObjectNode().put("status", stopping ? "stopping" : "ok").put("model", modelName);
        ArrayNode classes = n.putArray("classes");
        ser.classes().forEach(classes::add);
        n.put("variant", ser.config().variant().id).put("backend", ser.backend());
        n.put("in_flight", inFlight.get() - 1);
        send(ex, 200, n);
    }

    // ---- /v1/predict ---------------------------------------------------------------------------------------------

    private enum SegmentsMode { TRUE, FALSE, AUTO }

    private void predict(HttpExchange ex, long t0) throws IOException {
        if (!admitted.tryAcquire()) throw busy("the service has " + limits.maxQueue() + " requests in hand (--max-queue)");
        batcher.expect();
        boolean submitted = false;
        int reservedKib = 0;
        try {
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            SegmentsMode mode = switch (q.getOrDefault("segments", "auto")) {
                case "true" -> SegmentsMode.TRUE;
                case "false" -> SegmentsMode.FALSE;
                case "auto" -> SegmentsMode.AUTO;
                default -> throw new InputException("segments", "'" + q.get("segments") + "' is not one of true, false, auto");
            };
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            String mediaType = type == null ? "application/octet-stream" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!mediaType.equals("multipart/form-data") && !WAV_TYPES.contains(mediaType))
                throw new Refused(415, "the Content-Type " + type + " is not accepted; send audio/wav, application/octet-stream or multipart/form-data");
            String boundary = mediaType.equals("multipart/form-data") ? Multipart.boundary(type) : null;
            long declared = contentLength(ex);
            if (declared > limits.maxBodyBytes()) throw tooLarge();
            Body body = read(ex.getRequestBody(), declared);
            reservedKib = body.reservedKib;
            if (body.bytes.length == 0) throw new InputException("the request", "has no body; send a WAV file (audio/wav) or a multipart form with a file field");
            byte[] wav = body.bytes;
            String transcript = q.get("transcript");
            if (boundary != null) {
                Map<String, byte[]> parts = Multipart.parse(body.bytes, boundary);
                for (String name : parts.keySet())
                    if (!name.equals("file") && !name.equals("transcript"))
                        throw new InputException("the multipart body", "has the field '" + name + "'; the fields are file and transcript");
                wav = parts.get("file");
                if (wav == null) throw new InputException("the multipart body", "has no file field (the WAV)");
                if (parts.containsKey("transcript")) {
                    if (transcript != null) throw new InputException("transcript", "is given twice: in the query and in the form");
                    transcript = utf8(parts.get("transcript"));
                }
            }
            Speech speech = speech(Wav.parse(wav, "the WAV file"), transcript, q.get("speaker"));
            boolean segments = mode == SegmentsMode.TRUE || mode == SegmentsMode.AUTO && speech.samples().length > 7.5 * speech.sampleRate();
            submitted = true;
            Prediction p = answer(batcher.submit(speech));
            List<Segment> segs = segments ? ser.segments(speech) : null;
            ObjectNode n = PredictCommand.node(json.createObjectNode(), p);
            n.put("milliseconds", Math.round((System.nanoTime() - t0) / 1e4) / 100.0).put("truncated", p.truncated());   // the request's time
            if (segs != null) {
                ArrayNode arr = n.putArray("segments");
                for (Segment s : segs) PredictCommand.segmentNode(arr.addObject(), s);
            }
            send(ex, 200, n);
        } finally {
            if (!submitted) batcher.gone();
            heapKib.release(reservedKib);
            admitted.release();
        }
    }

    private Speech speech(Wav w, String transcript, String speaker) {
        if ((long) w.samples().length * Mfcc.SAMPLE_RATE / w.sampleRate() < Mfcc.MIN_SAMPLES)
            throw new InputException("the WAV file", String.format(Locale.ROOT, "holds %.3f s of audio; at least %.2f s is needed",
                    w.seconds(), Mfcc.MIN_SAMPLES / (double) Mfcc.SAMPLE_RATE));
        // A model trained with speaker normalisation: the speaker's requests build up the speaker's statistics (the
        // batcher enrols each request's speech with its speaker as it predicts it). Other models, and speakers past
        // the limit, which would never be enrolled, are normalised by the utterance's own statistics.
        boolean enrol = enrolls && speaker != null && (speakers.contains(speaker) || speakers.size() < MAX_SPEAKERS && speakers.add(speaker));
        return new Speech(w.samples(), w.sampleRate(), transcript, enrol ? speaker : null, null, "the WAV file");
    }

    private static Prediction answer(java.util.concurrent.CompletableFuture<Prediction> f) {
        try {
            return f.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + ANSWER_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static final Set<String> PARAMETERS = Set.of("transcript", "speaker", "segments");

    /** The query's parameters, URL-decoded; an unknown or repeated one is an error. */
    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k, v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InputException("the query", "has a malformed %-escape in '" + pair + "'");
            }
            if (!PARAMETERS.contains(k)) throw new InputException("the query", "has the parameter '" + k + "'; the parameters are transcript, speaker and segments");
            if (out.put(k, v) != null) throw new InputException("the query", "has the parameter '" + k + "' twice");
        }
        return out;
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException("the transcript field", "is not UTF-8 text");
        }
    }

    // ---- bodies --------------------------------------------------------------------------------------------------

    private record Body(byte[] bytes, int reservedKib) {}

    private static long contentLength(HttpExchange ex) {
        String s = ex.getRequestHeaders().getFirst("Content-Length");
        if (s == null) return -1;
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new InputException("Content-Length", "'" + s + "' is not a number");
        }
    }

    /**
     * Reads the body, reserving heap for it as it grows ({@value #HEAP_PER_BODY_BYTE} bytes per byte, in KiB): all of
     * a declared length at once, else 1 MiB at a time. A body over the limit, or one the heap budget cannot take, is
     * refused (the caller discards the rest of it).
     */
    private Body read(InputStream in, long declared) throws IOException {
        int reserved = 0;
        try {
            long step = declared >= 0 ? Math.max(declared, 1) : 1 << 20;
            reserved = reserve(step);
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared >= 0 ? (int) declared : 1 << 16);
            byte[] buf = new byte[1 << 16];
            long covered = step;
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + (long) n > limits.maxBodyBytes()) throw tooLarge();
                if (out.size() + n > covered) {
                    reserved += reserve(1 << 20);
                    covered += 1 << 20;
                }
                out.write(buf, 0, n);
            }
            return new Body(out.toByteArray(), reserved);
        } catch (RuntimeException | IOException e) {
            heapKib.release(reserved);
            throw e;
        }
    }

    private int reserve(long bytes) {
        int kib = (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(bytes * HEAP_PER_BODY_BYTE, 1024));
        if (heapKib.tryAcquire(kib)) return kib;
        throw busy("the service holds as much audio as its memory allows");
    }

    /** Reads and drops up to {@code limit} bytes of what is left of a body; true when it ended. */
    private static boolean discard(InputStream in, long limit) {
        byte[] buf = new byte[1 << 16];
        long left = limit;
        try {
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) left -= n;
            return in.read() < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private Refused tooLarge() {
        return new Refused(413, String.format(Locale.ROOT, "the request body is larger than the service's limit of %.1f MB (--max-body-mb)",
                limits.maxBodyBytes() / 1e6));
    }

    private static Refused busy(String why) {
        return new Refused(429, why + "; retry in a second", Map.of("Retry-After", "1"));
    }

    // ---- responses -----------------------------------------------------------------------------------------------

    private void error(HttpExchange ex, int status, String message) {
        try {
            send(ex, status, json.createObjectNode().put("error", message));
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] b = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
