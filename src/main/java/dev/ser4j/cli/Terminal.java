package dev.ser4j.cli;

/** Whether progress bars make sense: only when a person watches a terminal (not in CI logs or pipes). */
final class Terminal {
    private Terminal() {}

    static boolean interactive() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }
}
