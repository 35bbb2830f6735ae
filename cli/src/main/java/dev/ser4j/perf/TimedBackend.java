package dev.ser4j.perf;

import dev.ser4j.backend.Backend;
import dev.ser4j.backend.ConvShape;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend that times every op it forwards: wall nanoseconds and calls per op name (convolutions per input width,
 * e.g. {@code convForward(cin 96)}), for benchmarks and profiles. The timing costs a reflective call per op.
 */
public final class TimedBackend {
    private TimedBackend() {}

    /** Op name -> {nanoseconds, calls}. */
    public static final class Times {
        public final Map<String, long[]> byOp = new ConcurrentHashMap<>();

        public long nanos(String prefix) {
            return byOp.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()[0]).sum();
        }

        public void clear() {
            byOp.clear();
        }
    }

    public static Backend wrap(Backend inner, Times times) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, (p, m, a) -> {
            long t0 = System.nanoTime();
            try {
                return m.invoke(inner, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                String key = m.getName() + (a != null && a.length > 0 && a[0] instanceof ConvShape s ? "(cin " + s.cin() + ")" : "");
                long[] t = times.byOp.computeIfAbsent(key, k -> new long[2]);
                synchronized (t) {
                    t[0] += System.nanoTime() - t0;
                    t[1]++;
                }
            }
        });
    }
}
