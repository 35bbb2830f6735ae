package dev.ser4j.cli;

import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Speech;
import dev.ser4j.core.InputException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micro-batching for the service: concurrent requests' utterances are predicted together, one
 * {@link EmotionRecognizer#enrollAndPredict} per batch (a speech that names a speaker enrols it: the service names only
 * the speakers a speaker-normalised model should enrol), which computes their features in parallel and runs the model on
 * padded batches (several times the throughput of one call per request). A dispatcher thread waits for a free model
 * instance, takes the first waiting utterance, then collects more for up to {@code wait} or until {@code max}, and
 * hands the batch to a runner; each request gets its own answer. It stops collecting early when no other request is
 * on its way ({@link #expect}), so a lone request does not wait for company. When a batch fails on one utterance's
 * input, its utterances are predicted one by one, so that only that request gets the error.
 */
final class MicroBatcher implements AutoCloseable {
    private record Job(Speech speech, CompletableFuture<Prediction> answer) {}

    private final EmotionRecognizer ser;
    private final int max;
    private final long waitNanos;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();   // bounded by the service's admission
    private final AtomicInteger coming = new AtomicInteger();              // admitted requests not yet in a batch
    private final Semaphore free;                                           // model instances not running a batch
    private final ExecutorService runners;
    private final Thread dispatcher;
    private volatile boolean closed;

    /**
     * @param instances batches that run at once (the recognizer's instances)
     * @param max       the most utterances per batch
     * @param waitNanos how long the first utterance of a batch waits for others
     */
    MicroBatcher(EmotionRecognizer ser, int instances, int max, long waitNanos) {
        this.ser = ser;
        this.max = max;
        this.waitNanos = waitNanos;
        this.free = new Semaphore(instances);
        this.runners = Executors.newFixedThreadPool(instances, r -> Thread.ofPlatform().name("ser4j-batch").daemon().unstarted(r));
        this.dispatcher = Thread.ofPlatform().name("ser4j-dispatch").daemon().start(this::dispatch);
    }

    /** A request is on its way (its body is being read): the dispatcher may wait for it. Pair with {@link #submit} or {@link #gone}. */
    void expect() {
        coming.incrementAndGet();
    }

    /** A request that {@link #expect}ed will not submit (it failed before its prediction). */
    void gone() {
        coming.decrementAndGet();
    }

    /** Queues an expected request's utterance; the answer completes with its prediction or its error. */
    CompletableFuture<Prediction> submit(Speech speech) {
        Job job = new Job(speech, new CompletableFuture<>());
        queue.add(job);
        if (closed && queue.remove(job)) {                      // close() has drained the queue already, or will not see it
            coming.decrementAndGet();
            job.answer.completeExceptionally(stopping());
        }
        return job.answer;
    }

    private void dispatch() {
        try {
            while (!closed) {
                free.acquire();
                Job first = queue.take();
                List<Job> batch = new ArrayList<>();
                batch.add(first);
                long deadline = System.nanoTime() + waitNanos;
                // wait only while more requests than this batch's are admitted: they may join it
                while (batch.size() < max && coming.get() > batch.size()) {
                    Job j = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (j == null) break;
                    batch.add(j);
                }
                coming.addAndGet(-batch.size());
                try {
                    runners.execute(() -> {
                        try {
                            run(batch);
                        } finally {
                            free.release();
                        }
                    });
                } catch (RejectedExecutionException closing) {
                    for (Job j : batch) j.answer.completeExceptionally(stopping());
                }
            }
        } catch (InterruptedException stopping) {
            // close(): what is queued is failed there
        }
    }

    private void run(List<Job> batch) {
        try {
            List<Prediction> ps = ser.enrollAndPredict(batch.stream().map(Job::speech).toList());
            for (int i = 0; i < batch.size(); i++) batch.get(i).answer.complete(ps.get(i));
        } catch (InputException oneIsBad) {                     // nothing was enrolled: one by one, each its own answer
            for (Job j : batch) {
                try {
                    j.answer.complete(ser.enrollAndPredict(List.of(j.speech)).getFirst());
                } catch (RuntimeException e) {
                    j.answer.completeExceptionally(e);
                }
            }
        } catch (RuntimeException | Error e) {
            for (Job j : batch) j.answer.completeExceptionally(e);
        }
    }

    /** Stops the dispatcher, waits for the running batches (at most 30 s), and fails what is still queued. */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        runners.shutdown();
        try {
            dispatcher.join(5_000);
            runners.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j; (j = queue.poll()) != null; ) j.answer.completeExceptionally(stopping());
    }

    private static IllegalStateException stopping() {
        return new IllegalStateException("the service is stopping");
    }
}
