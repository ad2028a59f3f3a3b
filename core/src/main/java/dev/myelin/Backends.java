package dev.myelin;

import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the backends on the class path and picks one.
 *
 * <p>Default order: the available backend with the highest {@link Availability#rank()} (a GPU first,
 * then the Java CPU backend, then an OpenCL CPU device). The system property {@code myelin.backend}
 * or the environment variable {@code MYELIN_BACKEND} overrides it with a name or a comma list of
 * preferences; asking for a backend that is unknown or unavailable is a
 * {@link BackendUnavailableException} quoting the reason, never a silent fallback.
 *
 * <p>Threads: {@link #get()} hands the same instance to every thread of the JVM, which is safe:
 * a backend gives every thread the results it would get alone, bit for bit (see {@link Backend}), and
 * concurrent calls take turns on its one queue. Threads that want to run side by side rather than in
 * turns (two trainings on a many-core CPU) each {@link #open(String)} their own instance.
 *
 * <pre>{@code
 * Backend backend = Backends.get();          // shared instance of the chosen backend
 * try (Backend cpu = Backends.open("cpu")) { // a private instance the caller closes
 *     ...
 * }
 * }</pre>
 */
public final class Backends {

    public static final String PROPERTY = "myelin.backend";
    public static final String ENV = "MYELIN_BACKEND";

    private static final Map<String, Backend> SHARED = new HashMap<>();

    private Backends() {
    }

    /** Every provider on the class path, keyed by name. */
    public static Map<String, BackendProvider> providers() {
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(BackendProvider::name))
                .forEach(p -> byName.putIfAbsent(p.name(), p));
        return byName;
    }

    /** Probes every provider; best rank first, unavailable ones last. Never throws for a bad provider. */
    public static List<Availability> probeAll() {
        List<Availability> all = new ArrayList<>();
        for (BackendProvider p : providers().values()) {
            all.add(probe(p));
        }
        all.sort(Comparator.comparing(Availability::available).reversed()
                .thenComparing(Comparator.comparingInt(Availability::rank).reversed())
                .thenComparing(Availability::backend));
        return all;
    }

    /** A table of every provider, its device and why it is or is not usable, with the default marked. */
    public static String describe() {
        List<Availability> all = probeAll();
        String chosen;
        try {
            chosen = resolveName(all);
        } catch (BackendUnavailableException e) {
            chosen = null;
        }
        StringBuilder sb = new StringBuilder();
        for (Availability a : all) {
            sb.append(a.backend().equals(chosen) ? "* " : "  ")
                    .append(String.format(Locale.ROOT, "%-7s %-12s", a.backend(),
                            a.available() ? "available" : "unavailable"));
            if (!a.device().isEmpty()) {
                sb.append(a.device());
                if (!a.detail().isEmpty()) {
                    sb.append("\n                         ");
                }
            }
            sb.append(a.detail()).append('\n');
        }
        if (all.isEmpty()) {
            sb.append("no backend on the class path: add myelin-cpu (or another backend) to it\n");
        }
        sb.append(chosen == null ? "no usable backend for the current selection" : "default: " + chosen)
                .append(selection().isEmpty() ? "" : " (" + PROPERTY + "/" + ENV + " = " + String.join(",", selection()) + ")")
                .append('\n');
        return sb.toString();
    }

    /** The shared instance of the default backend (see the class comment for the order). */
    public static synchronized Backend get() {
        return get(resolveName(probeAll()));
    }

    /**
     * The shared instance of the backend named {@code name}, created on first use. {@code name} may be a
     * comma list of preferences ({@code "cuda,opencl"}): the first available one is taken, and when none
     * is, the exception quotes each one's reason.
     */
    public static synchronized Backend get(String name) {
        if (name != null && name.indexOf(',') >= 0) {
            name = resolveName(probeAll(), parseList(name), "the preference list");
        }
        Backend b = SHARED.get(name);
        if (b == null || b.isClosed()) {
            b = open(name);
            SHARED.put(name, b);
        }
        return b;
    }

    /** A new instance of the backend named {@code name}, which the caller closes. */
    public static Backend open(String name) {
        BackendProvider p = provider(name);
        Availability a = probe(p);
        if (!a.available()) {
            throw new BackendUnavailableException("backend '" + name + "' is unavailable: " + a.detail());
        }
        return p.create();
    }

    /** The name of the backend {@link #get()} would return. */
    public static String defaultName() {
        return resolveName(probeAll());
    }

    /** The names of the backends that can run here, best rank first. */
    public static List<String> availableNames() {
        return probeAll().stream().filter(Availability::available).map(Availability::backend).toList();
    }

    /** The preference list from {@code myelin.backend} or {@code MYELIN_BACKEND}; empty when neither is set. */
    public static List<String> selection() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return parseList(v);
    }

    private static List<String> parseList(String names) {
        return Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    private static String resolveName(List<Availability> all) {
        return resolveName(all, selection(), PROPERTY + "/" + ENV);
    }

    /** The first available backend of {@code wanted} ({@code source} names where the list came from). */
    private static String resolveName(List<Availability> all, List<String> wanted, String source) {
        if (wanted.isEmpty()) {
            return all.stream().filter(Availability::available).findFirst().map(Availability::backend)
                    .orElseThrow(() -> new BackendUnavailableException("no backend is available:\n" + reasons(all)));
        }
        StringBuilder why = new StringBuilder();
        for (String w : wanted) {
            Availability a = all.stream().filter(x -> x.backend().equals(w)).findFirst().orElse(null);
            if (a == null) {
                throw new BackendUnavailableException("unknown backend '" + w + "' in " + source
                        + ": expected one of " + all.stream().map(Availability::backend).toList());
            }
            if (a.available()) {
                return w;
            }
            why.append("  ").append(w).append(": ").append(a.detail()).append('\n');
        }
        throw new BackendUnavailableException("no backend of " + source + " = "
                + String.join(",", wanted) + " is available:\n" + why);
    }

    private static BackendProvider provider(String name) {
        Map<String, BackendProvider> all = providers();
        BackendProvider p = all.get(name == null ? null : name.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new BackendUnavailableException("unknown backend '" + name + "': expected one of " + all.keySet());
        }
        return p;
    }

    private static Availability probe(BackendProvider p) {
        try {
            Availability a = p.probe();
            return a != null ? a : Availability.unavailable(p.name(), "probe returned nothing");
        } catch (Throwable t) {
            // A provider must not throw, but a broken native binding can; report it instead of failing.
            return Availability.unavailable(p.name(), "probe failed: " + t);
        }
    }

    private static String reasons(List<Availability> all) {
        StringBuilder sb = new StringBuilder();
        for (Availability a : all) {
            sb.append("  ").append(a.backend()).append(": ").append(a.detail()).append('\n');
        }
        return sb.toString();
    }
}
