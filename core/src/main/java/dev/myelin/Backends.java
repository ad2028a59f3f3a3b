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
 *
 * <p>Providers are probed once per JVM (a probe loads native libraries and asks drivers, 10 ms and
 * more) and the verdicts are kept; {@link #reprobe()} forgets them. The choice is logged through
 * {@link System.Logger} {@code dev.myelin.Backends}: the backend at INFO, each one passed over and
 * why at DEBUG.
 */
public final class Backends {

    /** The system property naming the backend, or a comma list of preferences: {@value}. */
    public static final String PROPERTY = "myelin.backend";
    /** The environment variable read when {@link #PROPERTY} is not set: {@value}. */
    public static final String ENV = "MYELIN_BACKEND";

    /** What to add when no backend is on the class path or none can run here. */
    static final String ADD_A_BACKEND = "add a backend to the class path: myelin-cpu (the Java CPU backend, runs"
            + " everywhere), myelin-opencl (an OpenCL device) or myelin-cuda (an NVIDIA GPU)";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final Map<String, Backend> SHARED = new HashMap<>();
    /** Every provider's verdict, best first; null until the first probe. */
    private static volatile List<Availability> probed;

    private Backends() {
    }

    /**
     * Every provider on the class path.
     *
     * @return the providers keyed by name, in name order
     */
    public static Map<String, BackendProvider> providers() {
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(BackendProvider::name))
                .forEach(p -> byName.putIfAbsent(p.name(), p));
        return byName;
    }

    /**
     * Every provider's verdict, best rank first, unavailable ones last; probed on the first call in
     * this JVM (or the first after {@link #reprobe()}). Never throws for a bad provider.
     *
     * @return an unmodifiable list with one entry per provider
     */
    public static List<Availability> probeAll() {
        List<Availability> all = probed;
        if (all == null) {
            synchronized (Backends.class) {
                all = probed;
                if (all == null) {
                    all = probeProviders();
                    probed = all;
                }
            }
        }
        return all;
    }

    /**
     * Forgets the kept verdicts, so the next call probes every provider again: for a long-running
     * JVM after a driver or library was installed, and for tests. Shared instances stay open.
     */
    public static void reprobe() {
        probed = null;
    }

    private static List<Availability> probeProviders() {
        List<Availability> all = new ArrayList<>();
        for (BackendProvider p : providers().values()) {
            Availability a = probe(p);
            LOG.log(System.Logger.Level.DEBUG, () -> "probed backend " + a.backend() + ": "
                    + (a.available() ? "available, rank " + a.rank() + ", " + a.device() + " " + a.detail()
                            : "unavailable: " + a.detail()));
            all.add(a);
        }
        all.sort(Comparator.comparing(Availability::available).reversed()
                .thenComparing(Comparator.comparingInt(Availability::rank).reversed())
                .thenComparing(Availability::backend));
        return List.copyOf(all);
    }

    /**
     * A table of every provider, its device and why it is or is not usable, with the default marked.
     *
     * @return one line per provider (two where the device and the detail are both long), then the default
     */
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
            sb.append("no backend on the class path: ").append(ADD_A_BACKEND).append('\n');
        }
        sb.append(chosen == null ? "no usable backend for the current selection" : "default: " + chosen)
                .append(selection().isEmpty() ? "" : " (" + PROPERTY + "/" + ENV + " = " + String.join(",", selection()) + ")")
                .append('\n');
        return sb.toString();
    }

    /**
     * The shared instance of the default backend (see the class comment for the order).
     *
     * @return the backend, created on first use and shared by every caller in this JVM
     * @throws BackendUnavailableException if no backend can run here or the selection names one that cannot
     */
    public static synchronized Backend get() {
        List<Availability> all = probeAll();
        String name = resolveName(all);
        if (!SHARED.containsKey(name)) {
            logChoice(name, all);
        }
        return get(name);
    }

    /**
     * The shared instance of the backend named {@code name}, created on first use. {@code name} may be a
     * comma list of preferences ({@code "cuda,opencl"}): the first available one is taken, and when none
     * is, the exception quotes each one's reason.
     *
     * @param name a provider name ({@code cpu}, {@code opencl}, {@code cuda}) or a comma list of them
     * @return the backend, shared by every caller in this JVM
     * @throws BackendUnavailableException if no named backend is known and can run here
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

    /**
     * A new instance of the backend named {@code name}, which the caller closes.
     *
     * @param name a provider name: {@code cpu}, {@code opencl} or {@code cuda}
     * @return a backend of its own for the caller
     * @throws BackendUnavailableException if the backend is unknown or cannot run here
     */
    public static Backend open(String name) {
        BackendProvider p = provider(name);
        Availability a = probeAll().stream().filter(x -> x.backend().equals(p.name())).findFirst()
                .orElseGet(() -> probe(p));
        if (!a.available()) {
            throw new BackendUnavailableException("backend '" + name + "' is unavailable: " + a.detail());
        }
        return p.create();
    }

    /**
     * The name of the backend {@link #get()} would return.
     *
     * @return a provider name
     * @throws BackendUnavailableException if no backend can run here or the selection names one that cannot
     */
    public static String defaultName() {
        return resolveName(probeAll());
    }

    /**
     * The names of the backends that can run here.
     *
     * @return provider names, best rank first
     */
    public static List<String> availableNames() {
        return probeAll().stream().filter(Availability::available).map(Availability::backend).toList();
    }

    /**
     * The preference list from {@code myelin.backend} or {@code MYELIN_BACKEND}.
     *
     * @return lower-case provider names in order of preference; empty when neither is set
     */
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
                    .orElseThrow(() -> new BackendUnavailableException(all.isEmpty()
                            ? "no backend is available: none is on the class path; " + ADD_A_BACKEND
                            : "no backend is available:\n" + reasons(all) + ADD_A_BACKEND));
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

    private static void logChoice(String name, List<Availability> all) {
        Availability chosen = all.stream().filter(a -> a.backend().equals(name)).findFirst().orElseThrow();
        LOG.log(System.Logger.Level.INFO, () -> "using backend " + name + " (" + chosen.device()
                + (chosen.detail().isEmpty() ? "" : "; " + chosen.detail()) + ")"
                + (selection().isEmpty() ? ", the best available" : ", as " + PROPERTY + "/" + ENV + " asks"));
        for (Availability a : all) {
            if (!a.backend().equals(name)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "passed over backend " + a.backend() + ": "
                        + (!a.available() ? "unavailable: " + a.detail()
                                : selection().isEmpty() ? "ranks " + a.rank() + ", below " + chosen.rank()
                                : "not first in " + PROPERTY + "/" + ENV));
            }
        }
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
