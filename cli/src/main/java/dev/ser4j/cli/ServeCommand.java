package dev.ser4j.cli;

import dev.ser4j.EmotionRecognizer;
import dev.ser4j.core.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ser4j serve}: the model as an HTTP/JSON service ({@link PredictionService}) until SIGTERM or Ctrl-C, which
 * stop it gracefully: no new connection, requests in flight finished (at most {@link #GRACE}), then exit. It runs on
 * the JDK's {@code com.sun.net.httpserver} with a virtual-thread executor and adds no dependency: two endpoints need no
 * framework, and virtual threads make handlers that block (reading a body, waiting for their batch) cheap.
 */
@Command(name = "serve", sortOptions = false, description = "Serve a model over HTTP: POST /v1/predict with a WAV body (transcript= in the query "
        + "or a multipart form), GET /healthz. Requests are micro-batched; SIGTERM or Ctrl-C finishes the requests in flight, then exits.")
public final class ServeCommand implements Callable<Integer> {
    /** How long a stop waits for the requests in flight. */
    static final Duration GRACE = Duration.ofSeconds(20);

    @Option(names = "--model", required = true, paramLabel = "MODEL.safetensors", description = "The trained model (from ./ser4j train or cv).")
    Path modelFile;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "P", description = "The TCP port (default ${DEFAULT-VALUE}; 0: any free port, printed).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The address to listen on (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda", defaultValue = "cpu",
            description = "Where the model runs: cpu (default), cuda, or auto (CUDA when usable, else the CPU).")
    String backend;

    @Option(names = "--instances", paramLabel = "N", description = "Model instances, i.e. batches predicted at once (default: one per processor).")
    Integer instances;

    @Option(names = "--max-body-mb", defaultValue = "50", paramLabel = "MB", description = "The largest request body in MB (default ${DEFAULT-VALUE}; larger: 413).")
    double maxBodyMb;

    @Option(names = "--max-queue", defaultValue = "256", paramLabel = "N",
            description = "The most requests in hand at once (default ${DEFAULT-VALUE}; more: 429 with Retry-After).")
    int maxQueue;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) throw new InputException("--port", port + " is not a TCP port (0 to 65535)");
        if (!(maxBodyMb > 0)) throw new InputException("--max-body-mb", maxBodyMb + " is not a positive size");
        if (maxQueue < 1) throw new InputException("--max-queue", maxQueue + " is not a positive number of requests");
        int n = instances == null ? Runtime.getRuntime().availableProcessors() : instances;
        if (n < 1) throw new InputException("--instances", n + " is not a positive number of instances");
        EmotionRecognizer ser = EmotionRecognizer.load(modelFile, EmotionRecognizer.Options.DEFAULT.withBackend(backend).withInstances(n));
        PredictionService service;
        long budget;
        try {
            if (ser.needsSpeakerEmbedding())
                throw new InputException(modelFile.toString(), "was trained with x-vectors from a file, which the service cannot take; serve a model trained with "
                        + "--xvectors speaker-stats or without x-vectors");
            long left = warmUp(ser, n);
            long maxBody = (long) (maxBodyMb * 1e6);
            budget = left / 2;
            if (budget < maxBody * PredictionService.HEAP_PER_BODY_BYTE)
                System.err.printf(Locale.ROOT, "ser4j: warning: the heap left for requests (%d MB) holds a WAV of at most %.1f MB, less than "
                        + "--max-body-mb %s; larger ones get 429 (a larger -Xmx, e.g. SER4J_JAVA_OPTS=-Xmx4g, or fewer --instances)%n",
                        budget >> 20, budget / (double) PredictionService.HEAP_PER_BODY_BYTE / 1e6, maxBodyMb);
            service = PredictionService.start(ser, modelFile.getFileName().toString(), address(), n, PredictionService.Limits.of(maxBody, maxQueue, budget));
        } catch (BindException e) {
            ser.close();
            throw new InputException("--port", host + ":" + port + " cannot be listened on (" + e.getMessage() + "); choose another port, or 0 for any free one");
        } catch (RuntimeException | IOException e) {
            ser.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("ser4j: stopping: finishing the requests in flight (at most " + GRACE.toSeconds() + " s)");
            service.stop(GRACE);
            ser.close();
            System.err.println("ser4j: stopped; responses by status " + service.statuses());
            stopped.countDown();
        }, "ser4j-serve-stop"));
        System.err.printf(Locale.ROOT, "ser4j: serving %s (%s; %s) on http://%s:%d with %d instance%s on %s (%d MB of heap for requests): "
                        + "POST /v1/predict, GET /healthz; Ctrl-C stops%n", modelFile, ser.config().variant().id, String.join(", ", ser.classes()), host,
                service.port(), n, n == 1 ? "" : "s", ser.backend(), budget >> 20);
        stopped.await();
        return 0;
    }

    /**
     * Every model instance holds its working memory for the largest batch from the start
     * ({@link EmotionRecognizer#warmUp}), so that load cannot run the heap out; a heap too small for them is one
     * sentence now. Returns the heap left for requests.
     */
    private static long warmUp(EmotionRecognizer ser, int n) {
        Runtime rt = Runtime.getRuntime();
        try {
            ser.warmUp();
        } catch (OutOfMemoryError e) {
            throw new InputException("--instances", String.format(Locale.ROOT, "%d model instances do not fit in the JVM's heap of %d MB at their largest "
                    + "batch; give fewer --instances or a larger heap (SER4J_JAVA_OPTS=-Xmx4g)", n, rt.maxMemory() >> 20));
        }
        System.gc();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    private InetSocketAddress address() {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) throw new InputException("--host", "'" + host + "' is not an address of this machine");
        return a;
    }

}
