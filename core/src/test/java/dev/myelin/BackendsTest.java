package dev.myelin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backend selection: the default order, the {@code myelin.backend} override and its errors.
 *
 * <p>Core has no backend of its own, so the checks with providers load a private copy of
 * {@code dev.myelin} in a class loader that also sees {@code backend-fixtures/META-INF/services}
 * (see {@link BackendFixtures}): a GPU, a Java CPU, a missing library and a probe that throws.
 * The system property is restored after every check.
 */
class BackendsTest {

    private String savedProperty;
    private FixtureLoader loader;

    @BeforeEach
    void saveProperty() throws IOException {
        savedProperty = System.getProperty(Backends.PROPERTY);
        System.clearProperty(Backends.PROPERTY);
        URL fixtures = BackendsTest.class.getResource("/backend-fixtures/");
        assertTrue(fixtures != null, "backend-fixtures/ is on the test class path");
        loader = new FixtureLoader(new URL[] {
            Backends.class.getProtectionDomain().getCodeSource().getLocation(),
            BackendsTest.class.getProtectionDomain().getCodeSource().getLocation(),
            fixtures}, BackendsTest.class.getClassLoader());
    }

    @AfterEach
    void restoreProperty() throws IOException {
        if (savedProperty == null) {
            System.clearProperty(Backends.PROPERTY);
        } else {
            System.setProperty(Backends.PROPERTY, savedProperty);
        }
        loader.close();
    }

    /** Loads {@code dev.myelin.*} itself (child first), everything else from the parent. */
    private static final class FixtureLoader extends URLClassLoader {
        FixtureLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.myelin.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** Calls the static {@code Backends.method(args)} of the fixture loader's copy, unwrapping its exception. */
    private Object call(String method, Object... args) throws Throwable {
        Class<?> backends = loader.loadClass(Backends.class.getName());
        Method m = Arrays.stream(backends.getMethods())
                .filter(x -> x.getName().equals(method) && x.getParameterCount() == args.length)
                .findFirst().orElseThrow();
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The call must fail with the fixture loader's BackendUnavailableException; returns its message. */
    private String unavailable(String method, Object... args) {
        Throwable e = assertThrows(Throwable.class, () -> call(method, args));
        assertEquals(BackendUnavailableException.class.getName(), e.getClass().getName(), "exception type: " + e);
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message \"" + message + "\" should mention " + p);
        }
    }

    private static void assumeNoEnvironmentSelection() {
        assumeTrue(System.getenv(Backends.ENV) == null,
                Backends.ENV + " is set in this environment, so the default order cannot be checked");
    }

    @Test
    void defaultIsTheAvailableBackendOfHighestRank() throws Throwable {
        assumeNoEnvironmentSelection();
        assertEquals("gpu", call("defaultName"));
        assertEquals(List.of("gpu", "javacpu"), call("availableNames"));
        List<?> all = (List<?>) call("probeAll");
        assertEquals(4, all.size());
        assertTrue(all.get(0).toString().contains("gpu"), "best rank first: " + all);
        assertTrue(all.get(1).toString().contains("javacpu"), "then the CPU: " + all);
    }

    @Test
    void propertySelectsABackendAndAPreferenceList() throws Throwable {
        System.setProperty(Backends.PROPERTY, "javacpu");
        assertEquals("javacpu", call("defaultName"));
        System.setProperty(Backends.PROPERTY, " Missing , JAVACPU ,, gpu");
        assertEquals(List.of("missing", "javacpu", "gpu"), call("selection"));
        assertEquals("javacpu", call("defaultName"), "the first available backend of the list");
    }

    @Test
    void unavailableBackendInPropertyIsAnErrorQuotingItsReason() {
        System.setProperty(Backends.PROPERTY, "missing");
        String message = unavailable("get");
        assertMentions(message, "missing", Backends.PROPERTY, BackendFixtures.Missing.REASON);
        assertMentions(unavailable("defaultName"), "missing", BackendFixtures.Missing.REASON);
        System.setProperty(Backends.PROPERTY, "missing,broken");
        assertMentions(unavailable("get"), "missing", BackendFixtures.Missing.REASON, "broken", "probe failed",
                "no fixture in java.library.path");
    }

    @Test
    void unknownBackendInPropertyIsAnErrorListingTheKnownOnes() {
        System.setProperty(Backends.PROPERTY, "tpu");
        assertMentions(unavailable("get"), "unknown backend 'tpu'", Backends.PROPERTY, "gpu", "javacpu", "missing");
        // An unknown name is an error even after an available one: a typo must not go unnoticed.
        System.setProperty(Backends.PROPERTY, "tpu,javacpu");
        assertMentions(unavailable("defaultName"), "unknown backend 'tpu'");
    }

    @Test
    void openByNameQuotesTheReasonAndNeverFallsBack() throws Throwable {
        assertMentions(unavailable("open", "missing"), "missing", BackendFixtures.Missing.REASON);
        assertMentions(unavailable("open", "broken"), "broken", "probe failed");
        assertMentions(unavailable("open", "tpu"), "unknown backend 'tpu'", "gpu", "javacpu");
        try (AutoCloseable b = (AutoCloseable) call("open", "JavaCpu")) {
            assertFalse((Boolean) b.getClass().getMethod("isClosed").invoke(b), "open() is case-insensitive");
        }
    }

    @Test
    void getSharesOneInstanceUntilItIsClosed() throws Throwable {
        Object first = call("get", "javacpu");
        assertSame(first, call("get", "javacpu"));
        ((AutoCloseable) first).close();
        Object second = call("get", "javacpu");
        assertNotSame(first, second, "a closed shared instance is replaced");
        ((AutoCloseable) second).close();
    }

    @Test
    void getTakesACommaListAsAnOrderOfPreference() throws Throwable {
        Object chosen = call("get", "missing,javacpu,gpu");
        assertSame(call("get", "javacpu"), chosen, "the first available backend of the list, shared");
        assertMentions(unavailable("get", "missing,broken"), "preference list", "missing",
                BackendFixtures.Missing.REASON, "broken", "probe failed");
        assertMentions(unavailable("get", "tpu,javacpu"), "unknown backend 'tpu'");
        ((AutoCloseable) chosen).close();
    }

    @Test
    void describeListsEveryProviderWithItsReasonAndTheDefault() throws Throwable {
        assumeNoEnvironmentSelection();
        String table = (String) call("describe");
        assertMentions(table, "* gpu", "Fixture GPU", "javacpu", "Fixture CPU", "missing", BackendFixtures.Missing.REASON,
                "broken", "probe failed", "default: gpu");
        System.setProperty(Backends.PROPERTY, "missing");
        assertMentions((String) call("describe"), "no usable backend", "missing");
    }

    @Test
    void withoutAnyProviderTheErrorSaysWhatToAdd() {
        // The plain class path of core: no backend module on it.
        assumeNoEnvironmentSelection();
        assertTrue(Backends.providers().isEmpty(), "core's own class path has no provider: " + Backends.providers().keySet());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, Backends::get);
        assertMentions(e.getMessage(), "no backend is available", "myelin-cpu", "myelin-opencl", "myelin-cuda");
        assertMentions(Backends.describe(), "no backend on the class path", "myelin-cpu");
        System.setProperty(Backends.PROPERTY, "cpu");
        assertMentions(assertThrows(BackendUnavailableException.class, Backends::get).getMessage(), "unknown backend 'cpu'");
        assertMentions(assertThrows(BackendUnavailableException.class, () -> Backends.open("cpu")).getMessage(),
                "unknown backend 'cpu'");
    }

    @Test
    void providersAreProbedOncePerJvmUntilReprobe() throws Throwable {
        assumeNoEnvironmentSelection();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    call("probeAll");
                    call("defaultName");
                    call("describe");
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        call("open", "javacpu");
        assertEquals(1, gpuProbes(), "eight threads, many calls: one probe");
        call("reprobe");
        call("availableNames");
        assertEquals(2, gpuProbes(), "reprobe() forgets the verdicts");
    }

    @Test
    void theChoiceIsLoggedAtInfoAndThePassedOverAtDebug() throws Throwable {
        assumeNoEnvironmentSelection();
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(Backends.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level saved = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try {
            ((AutoCloseable) call("get")).close();
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(saved);
        }
        List<String> info = records.stream().filter(r -> r.getLevel() == Level.INFO).map(LogRecord::getMessage).toList();
        assertEquals(1, info.size(), info.toString());
        assertMentions(info.get(0), "using backend gpu", "Fixture GPU", "the best available");
        String debug = records.stream().filter(r -> r.getLevel().intValue() < Level.INFO.intValue())
                .map(LogRecord::getMessage).reduce("", (a, b) -> a + "\n" + b);
        assertMentions(debug, "passed over backend javacpu: ranks", "passed over backend missing: unavailable: "
                + BackendFixtures.Missing.REASON, "passed over backend broken: unavailable: probe failed");
    }

    private int gpuProbes() throws ReflectiveOperationException {
        Class<?> gpu = loader.loadClass(BackendFixtures.Gpu.class.getName());
        java.lang.reflect.Field f = gpu.getDeclaredField("PROBES");
        f.setAccessible(true);
        return ((java.util.concurrent.atomic.AtomicInteger) f.get(null)).get();
    }
}
