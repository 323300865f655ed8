package org.recsys.bench;

import org.recsys.core.util.SuppressForbidden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** What both W1 runs report the same way: peak resident memory, medians and how busy the shared machine was. */
final class Measurements {

    private Measurements() {}

    /** Peak resident set size of this process in MiB (VmHWM), or -1 where /proc is absent. */
    static long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** The machine's one-minute load average at the end of a run (other work on the same cores), or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of this process, all threads, in nanoseconds. */
    @SuppressForbidden(reason = "the process's CPU time: only HotSpot's OperatingSystemMXBean has it")
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static String json(Object... keysAndValues) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = keysAndValues[i + 1];
            String value = v instanceof String s ? "\"" + s + "\""
                : v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d)
                : v instanceof double[] a ? Arrays.toString(Arrays.stream(a).map(x -> Math.round(x * 1000) / 1000.0).toArray())
                : String.valueOf(v);
            sb.append('"').append(keysAndValues[i]).append("\": ").append(value);
        }
        return sb.append('}').toString();
    }
}
