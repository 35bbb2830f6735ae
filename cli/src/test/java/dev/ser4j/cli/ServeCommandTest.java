package dev.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Segment;
import dev.ser4j.Speech;
import dev.ser4j.audio.Wav;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.text.Vocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./ser4j serve}'s service in-process on a free port, driven by the JDK's HttpClient: answers equal the API's,
 * transcripts from the query and from a form, segments for long audio, every error status with one sentence, a
 * concurrent mix of good and bad requests, a full queue, and a graceful stop. The model is a seeded, untrained
 * MSCNN-SPU-ATT with a small vocabulary, so that the transcript changes the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeCommandTest {
    static final String[] TRANSCRIPTS = {"I am furious about the schedule!", "What a wonderful day, I'm thrilled.",
            "I feel so lonely and miserable.", "The meeting is on Monday.", ""};
    Path model;
    EmotionRecognizer ser;
    PredictionService service;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        List<List<String>> texts = new ArrayList<>();
        for (String t : TRANSCRIPTS) texts.add(ModelInput.words(t));
        Vocabulary vocab = Vocabulary.build(texts);
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, vocab.size(), false);
        try (CpuBackend be = new CpuBackend(); MscnnSpuAtt m = new MscnnSpuAtt(cfg, be)) {
            m.initialize(3);
            model = dir.resolve("bimodal.safetensors");
            TrainedModel.of(m, FeatureNormalizer.identity(96), Map.of("vocabulary", vocab.toJson())).write(model);
        }
        ser = EmotionRecognizer.load(model, EmotionRecognizer.Options.DEFAULT.withInstances(2));
        service = start(ser, 1_000_000, 64);
    }

    @AfterAll
    void stop() {
        service.stop(Duration.ofSeconds(5));
        ser.close();
    }

    static PredictionService start(EmotionRecognizer ser, long maxBody, int maxQueue) throws IOException {
        return PredictionService.start(ser, "bimodal.safetensors", new InetSocketAddress("127.0.0.1", 0), 2,
                new PredictionService.Limits(maxBody, maxQueue, 32, Duration.ofMillis(5), Runtime.getRuntime().maxMemory() / 4));
    }

    // ---- audio and requests --------------------------------------------------------------------------------------

    static float[] voice(int rate, double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double f0 = 100 + 200 * r.nextDouble(), amp = 0.1 + 0.3 * r.nextDouble(), ph = 0;
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            ph += 2 * Math.PI * f0 * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * i / rate)) / rate;
            x[i] = (float) (amp * (Math.sin(ph) + 0.5 * Math.sin(2 * ph)) + 0.005 * r.nextGaussian());
        }
        return x;
    }

    /** Utterances of 1 to 4 s with pauses of a second of quiet noise. */
    static float[] recording(int rate, int utterances, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> parts = new ArrayList<>();
        for (int i = 0; i < utterances; i++) {
            parts.add(new float[rate]);
            parts.add(voice(rate, 1 + 3 * r.nextDouble(), r.nextLong()));
        }
        parts.add(new float[rate]);
        float[] x = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, x, at, p.length);
            at += p.length;
        }
        for (int i = 0; i < x.length; i++) x[i] += (float) (0.0005 * r.nextGaussian());
        return x;
    }

    static byte[] wav(float[] samples, int rate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.writePcm16(out, samples, rate);
        return out.toByteArray();
    }

    /** What the API predicts for the WAV bytes (read as the service reads them) and the transcript. */
    Prediction expected(byte[] wav, String transcript) {
        Wav w = Wav.parse(wav, "expected.wav");
        return ser.predict(Speech.of(w.samples(), w.sampleRate()).withTranscript(transcript));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + service.port() + pathAndQuery);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpResponse<String> post(PredictionService svc, String pathAndQuery, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.port() + pathAndQuery)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body) throws Exception {
        return post(service, pathAndQuery, contentType, body);
    }

    static final String BOUNDARY = "ser4j-test-Bd8x";

    static byte[] multipart(byte[] wav, String transcript, String... extra) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(wav);
        if (transcript != null)
            out.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"transcript\"\r\n\r\n" + transcript).getBytes(StandardCharsets.UTF_8));
        for (String name : extra)
            out.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\nx").getBytes(StandardCharsets.UTF_8));
        out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    void assertAnswers(Prediction want, HttpResponse<String> r, double tol) throws Exception {
        assertAnswers(want, r.statusCode(), r.body(), tol);
    }

    void assertAnswers(Prediction want, int status, String body, double tol) throws Exception {
        assertEquals(200, status, body);
        JsonNode n = json.readTree(body);
        assertEquals(want.label(), n.get("label").asText(), body);
        assertEquals(want.classes(), names(n.get("probabilities").fieldNames()));
        for (String c : want.classes()) assertEquals(want.probability(c), n.get("probabilities").get(c).asDouble(), tol, c + " in " + body);
        assertTrue(n.get("milliseconds").asDouble() > 0, body);
        assertEquals(want.truncated(), n.get("truncated").asBoolean(), body);
    }

    static List<String> names(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** An error status with a one-sentence JSON {@code error}. */
    void assertRefused(int status, HttpResponse<String> r, String mentions) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = json.readTree(r.body());
        String e = n.get("error").asText();
        assertFalse(e.isBlank());
        assertFalse(e.contains("\n") || e.contains("Exception") || e.contains("\tat "), "one sentence, no stack trace: " + e);
        assertTrue(e.toLowerCase().contains(mentions.toLowerCase()), "'" + e + "' mentions " + mentions);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("not within 30 s: " + what);
            Thread.sleep(5);
        }
    }

    /**
     * A request written by hand on a socket: its headers and the first 44 bytes of its body now, the rest on
     * {@link #finish}, so that the test knows it is in flight (the HttpClient gives no such hold).
     */
    static final class HeldRequest implements AutoCloseable {
        private final Socket socket = new Socket();
        private final byte[] body;

        HeldRequest(int port, String pathAndQuery, byte[] body) throws IOException {
            this.body = body;
            socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: audio/wav\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 44);
            out.flush();
        }

        /** Sends the rest of the body and reads the response: its status and body. */
        String[] finish() throws IOException {
            socket.getOutputStream().write(body, 44, body.length - 44);
            socket.getOutputStream().flush();
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = all.indexOf("\r\n\r\n");
            assertTrue(all.startsWith("HTTP/1.1 ") && headersEnd > 0, all);
            return new String[]{all.substring(9, 12), all.substring(headersEnd + 4)};
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- tests ---------------------------------------------------------------------------------------------------

    @Test
    void aWavWithAQueryTranscriptGetsThePredictionOfTheApi() throws Exception {
        byte[] wav = wav(voice(16_000, 2.5, 1), 16_000);
        String t = TRANSCRIPTS[0];
        HttpResponse<String> r = post("/v1/predict?transcript=" + enc(t), "audio/wav", wav);
        assertAnswers(expected(wav, t), r, 1e-6);
        assertNull(json.readTree(r.body()).get("segments"), "no segments for short audio");
        HttpResponse<String> none = post("/v1/predict", "application/octet-stream", wav);
        assertAnswers(expected(wav, ""), none, 1e-6);
        assertNotEquals(json.readTree(r.body()).get("probabilities"), json.readTree(none.body()).get("probabilities"),
                "the transcript reaches the model");
        byte[] wav44 = wav(voice(44_100, 3, 2), 44_100);
        assertAnswers(expected(wav44, TRANSCRIPTS[1]), post("/v1/predict?speaker=caller-1&transcript=" + enc(TRANSCRIPTS[1]), null, wav44), 1e-6);
    }

    /**
     * A model trained with speaker normalisation: each request that names a speaker enrols its recording, and is
     * normalised by everything that speaker has sent so far, itself included, as enroll-then-predict in the API.
     */
    @Test
    void aSpeakersRequestsBuildUpItsStatistics(@TempDir Path dir) throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.AUDIO_CNN, 0, false);
        Path normalised = dir.resolve("speaker.safetensors");
        try (CpuBackend be = new CpuBackend(); MscnnSpuAtt m = new MscnnSpuAtt(cfg, be)) {
            m.initialize(5);
            TrainedModel.of(m, FeatureNormalizer.identity(96), Map.of("speaker_norm", "speaker")).write(normalised);
        }
        byte[] wavA = wav(voice(16_000, 2, 11), 16_000), wavB = wav(voice(16_000, 3, 12), 16_000);
        float[] a = Wav.parse(wavA, "a.wav").samples(), b = Wav.parse(wavB, "b.wav").samples();     // as the service decodes them
        try (EmotionRecognizer served = EmotionRecognizer.load(normalised); EmotionRecognizer api = EmotionRecognizer.load(normalised)) {
            PredictionService svc = start(served, 1_000_000, 64);
            try {
                api.enroll("c", Speech.of(a, 16_000));
                assertAnswers(api.predict(Speech.of(a, 16_000).withSpeaker("c")), post(svc, "/v1/predict?speaker=c", null, wavA), 1e-6);
                api.enroll("c", Speech.of(b, 16_000));
                Prediction both = api.predict(Speech.of(b, 16_000).withSpeaker("c"));
                assertAnswers(both, post(svc, "/v1/predict?speaker=c", null, wavB), 1e-6);
                Prediction own = api.predict(Speech.of(b, 16_000));
                assertAnswers(own, post(svc, "/v1/predict", null, wavB), 1e-6);
                assertTrue(Math.abs(both.probability(both.label()) - own.probability(both.label())) > 1e-4, "the speaker's statistics change the answer");
            } finally {
                svc.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aMultipartFormCarriesTheFileAndTheTranscript() throws Exception {
        byte[] wav = wav(voice(22_050, 2, 3), 22_050);
        String t = TRANSCRIPTS[2];
        assertAnswers(expected(wav, t), post("/v1/predict", "multipart/form-data; boundary=" + BOUNDARY, multipart(wav, t)), 1e-6);
        assertAnswers(expected(wav, ""), post("/v1/predict", "multipart/form-data; boundary=\"" + BOUNDARY + "\"", multipart(wav, null)), 1e-6);
        assertAnswers(expected(wav, t), post("/v1/predict?segments=false", "multipart/form-data; boundary=" + BOUNDARY, multipart(wav, t)), 1e-6);
    }

    @Test
    void longAudioGetsSegmentsWithTheFieldsOfPredictSegments() throws Exception {
        float[] x = recording(16_000, 5, 4);
        byte[] wav = wav(x, 16_000);
        assertTrue(x.length > 7.5 * 16_000);
        HttpResponse<String> r = post("/v1/predict", "audio/wav", wav);
        assertAnswers(expected(wav, ""), r, 1e-6);
        JsonNode segs = json.readTree(r.body()).get("segments");
        assertNotNull(segs, r.body());
        List<Segment> want = ser.segments(Speech.of(Wav.parse(wav, "w.wav").samples(), 16_000));
        assertEquals(want.size(), segs.size(), r.body());
        assertEquals(5, want.size());
        for (int i = 0; i < want.size(); i++) {
            JsonNode s = segs.get(i);
            assertEquals(want.get(i).startSeconds(), s.get("start_s").asDouble(), 1e-3);
            assertEquals(want.get(i).endSeconds(), s.get("end_s").asDouble(), 1e-3);
            assertEquals(want.get(i).label(), s.get("label").asText());
            assertEquals(ser.classes(), names(s.get("probabilities").fieldNames()));
        }
        assertNull(json.readTree(post("/v1/predict?segments=false", "audio/wav", wav).body()).get("segments"));
        byte[] shortWav = wav(voice(16_000, 2, 5), 16_000);
        JsonNode forced = json.readTree(post("/v1/predict?segments=true", "audio/wav", shortWav).body()).get("segments");
        assertEquals(1, forced.size(), "segments=true segments short audio too");
    }

    @Test
    void healthzSaysTheModelItsClassesAndBackend() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        JsonNode n = json.readTree(r.body());
        assertEquals("ok", n.get("status").asText());
        assertEquals("bimodal.safetensors", n.get("model").asText());
        assertEquals(ser.classes(), textList(n.get("classes")));
        assertEquals("cpu", n.get("backend").asText());
    }

    static List<String> textList(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    void everyBadRequestGetsItsStatusAndOneSentence() throws Exception {
        byte[] wav = wav(voice(16_000, 1.5, 6), 16_000);
        assertRefused(400, post("/v1/predict", "audio/wav", "RIFF....WAVEjunk".getBytes(StandardCharsets.US_ASCII)), "WAV");
        assertRefused(400, post("/v1/predict", "audio/wav", new byte[0]), "no body");
        assertRefused(400, post("/v1/predict", "audio/wav", wav(voice(16_000, 0.03, 1), 16_000)), "at least");
        assertRefused(400, post("/v1/predict?segments=maybe", "audio/wav", wav), "maybe");
        assertRefused(400, post("/v1/predict?language=en", "audio/wav", wav), "language");
        String form = "multipart/form-data; boundary=" + BOUNDARY;
        byte[] unclosed = multipart(wav, "hi");
        assertRefused(400, post("/v1/predict", form, java.util.Arrays.copyOf(unclosed, unclosed.length - 10)), "closing boundary");
        assertRefused(400, post("/v1/predict", form, "--other\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), "boundary");
        assertRefused(400, post("/v1/predict", form, multipart(wav, "hi", "language")), "language");
        assertRefused(400, post("/v1/predict", "multipart/form-data", multipart(wav, "hi")), "boundary");
        assertRefused(400, post("/v1/predict?transcript=a", form, multipart(wav, "b")), "twice");
        assertRefused(415, post("/v1/predict", "text/plain", wav), "Content-Type");
        assertRefused(413, post("/v1/predict", "audio/wav", new byte[1_500_000]), "limit");
        assertRefused(404, post("/v2/predict", "audio/wav", wav), "/v2/predict");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/v1/predict")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(405, get, "POST");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertRefused(405, post("/healthz", "audio/wav", wav), "GET");
        // a chunked (undeclared) body over the limit
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/v1/predict")).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[1_200_000]))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(413, chunked, "limit");
        // and the service still answers
        assertAnswers(expected(wav, ""), post("/v1/predict", "audio/wav", wav), 1e-6);
    }

    @Test
    void concurrentGoodAndBadRequestsLoseNoGoodOneAndGetNo5xx() throws Exception {
        int kinds = 8;
        List<byte[]> wavs = new ArrayList<>();
        List<Prediction> want = new ArrayList<>();
        for (int i = 0; i < kinds; i++) {
            int rate = i % 2 == 0 ? 16_000 : 44_100;
            wavs.add(wav(voice(rate, 0.5 + 0.6 * i, 100 + i), rate));
            want.add(expected(wavs.get(i), TRANSCRIPTS[i % TRANSCRIPTS.length]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Future<Integer>> done = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            int req = k;
            done.add(pool.submit(() -> {
                int i = req % kinds;
                String t = TRANSCRIPTS[i % TRANSCRIPTS.length];
                HttpResponse<String> r;
                int expect;
                switch (req % 10) {
                    case 0, 1, 2, 3, 4 -> {
                        r = post("/v1/predict?transcript=" + enc(t), "audio/wav", wavs.get(i));
                        expect = 200;
                    }
                    case 5 -> {
                        r = post("/v1/predict", "multipart/form-data; boundary=" + BOUNDARY, multipart(wavs.get(i), t));
                        expect = 200;
                    }
                    case 6 -> {
                        byte[] junk = wavs.get(i).clone();
                        junk[8] = 'X';                                             // no longer WAVE
                        r = post("/v1/predict", "audio/wav", junk);
                        expect = 400;
                    }
                    case 7 -> {
                        r = post("/v1/predict", "audio/wav", new byte[1_000_001 + req]);
                        expect = 413;
                    }
                    case 8 -> {
                        r = post("/v1/predict?segments=sometimes", "audio/wav", wavs.get(i));
                        expect = 400;
                    }
                    default -> {
                        r = post("/v1/predict", "audio/wav", java.util.Arrays.copyOf(wavs.get(i), 30));
                        expect = 400;
                    }
                }
                if (r.statusCode() != expect) problems.add("request " + req + ": " + r.statusCode() + " instead of " + expect + ": " + r.body());
                else if (expect == 200) {
                    try {
                        assertAnswers(want.get(i), r, 1e-5);
                    } catch (AssertionError e) {
                        problems.add("request " + req + ": " + e.getMessage());
                    }
                }
                return r.statusCode();
            }));
        }
        int good = 0;
        for (Future<Integer> f : done) if (f.get(5, TimeUnit.MINUTES) == 200) good++;
        pool.shutdown();
        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(120, good, "every good request answered");
        service.statuses().forEach((status, n) -> assertTrue(status < 500, n + " responses with status " + status));
    }

    @Test
    void aFullQueueGets429WithRetryAfter() throws Exception {
        try (PredictionService tiny = start(ser, 1_000_000, 1)) {
            byte[] wav = wav(voice(16_000, 1.5, 7), 16_000);
            try (HeldRequest first = new HeldRequest(tiny.port(), "/v1/predict", wav)) {
                await(() -> tiny.inHand() == 1, "the first request is admitted");
                HttpResponse<String> second = post(tiny, "/v1/predict", "audio/wav", wav);
                assertRefused(429, second, "max-queue");
                assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
                String[] r = first.finish();
                assertAnswers(expected(wav, ""), Integer.parseInt(r[0]), r[1], 1e-6);
            }
            assertAnswers(expected(wav, ""), post(tiny, "/v1/predict", "audio/wav", wav), 1e-6);
        }
    }

    @Test
    void aRequestTheHeapBudgetCannotHoldGets429() throws Exception {
        byte[] wav = wav(voice(16_000, 1.5, 9), 16_000);                 // 48 kB: 384 kB of heap reserved
        try (PredictionService small = PredictionService.start(ser, "bimodal.safetensors", new InetSocketAddress("127.0.0.1", 0), 2,
                new PredictionService.Limits(1_000_000, 8, 32, Duration.ofMillis(5), 300_000))) {
            HttpResponse<String> r = post(small, "/v1/predict", "audio/wav", wav);
            assertRefused(429, r, "memory");
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
            byte[] half = wav(voice(16_000, 0.5, 9), 16_000);              // 16 kB: 128 kB
            assertAnswers(expected(half, ""), post(small, "/v1/predict", "audio/wav", half), 1e-6);
        }
    }

    @Test
    void stoppingFinishesTheRequestInFlightAndThenRefusesConnections() throws Exception {
        PredictionService svc = start(ser, 1_000_000, 8);
        byte[] wav = wav(voice(16_000, 2, 8), 16_000);
        Thread stopper;
        try (HeldRequest inFlight = new HeldRequest(svc.port(), "/v1/predict?transcript=" + enc(TRANSCRIPTS[3]), wav)) {
            await(() -> svc.inHand() == 1, "the request is in flight");
            stopper = Thread.ofPlatform().start(() -> svc.stop(Duration.ofSeconds(30)));
            Thread.sleep(300);
            assertTrue(stopper.isAlive(), "stop waits for the request in flight");
            String[] r = inFlight.finish();
            assertAnswers(expected(wav, TRANSCRIPTS[3]), Integer.parseInt(r[0]), r[1], 1e-6);
        }
        stopper.join(30_000);
        assertFalse(stopper.isAlive(), "stop returns once the request is answered");
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.port() + "/healthz")).GET().build(),
                HttpResponse.BodyHandlers.ofString()), "no new connection after stop");
        assertTrue(ser.predict(Speech.of(voice(16_000, 1, 1), 16_000)) != null, "the recognizer stays open for its owner");
    }

    @Test
    void theCommandLineRefusesBadOptionsInOneSentence() {
        PipelineEndToEndTest.Run r = PipelineEndToEndTest.ser4j("serve", "--model", model.toString(), "--port", "70000");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--port: 70000 is not a TCP port"), r.err());
        r = PipelineEndToEndTest.ser4j("serve", "--model", model.toString(), "--port", "0", "--max-queue", "0");
        assertEquals(2, r.code(), r.err());
        r = PipelineEndToEndTest.ser4j("serve", "--model", model.resolveSibling("missing.safetensors").toString(), "--port", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("missing.safetensors"), r.err());
        r = PipelineEndToEndTest.ser4j("serve", "--model", model.toString(), "--port", String.valueOf(service.port()), "--instances", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot be listened on"), r.err());
    }
}
