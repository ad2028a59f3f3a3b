package dev.myelin;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BackendProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Providers with known answers for {@link BackendsTest}. They are registered only in
 * {@code backend-fixtures/META-INF/services}, which that test puts on an isolated class loader, so
 * they never show up among the real backends (nor in the test-jar's service files).
 */
final class BackendFixtures {

    private BackendFixtures() {
    }

    /** An available GPU: the default choice. Counts its probes, which {@link Backends} keeps. */
    public static final class Gpu implements BackendProvider {
        static final AtomicInteger PROBES = new AtomicInteger();

        @Override
        public String name() {
            return "gpu";
        }

        @Override
        public Availability probe() {
            PROBES.incrementAndGet();
            return Availability.ready("gpu", Availability.RANK_GPU, "Fixture GPU", "");
        }

        @Override
        public Backend create() {
            return new ReferenceBackend();
        }
    }

    /** An available CPU backend, ranked below the GPU. */
    public static final class JavaCpu implements BackendProvider {
        @Override
        public String name() {
            return "javacpu";
        }

        @Override
        public Availability probe() {
            return Availability.ready("javacpu", Availability.RANK_JAVA_CPU, "Fixture CPU", "2 threads");
        }

        @Override
        public Backend create() {
            return new ReferenceBackend();
        }
    }

    /** A backend whose library is missing. */
    public static final class Missing implements BackendProvider {
        static final String REASON = "libfixture.so.3 not found: install fixture-runtime";

        @Override
        public String name() {
            return "missing";
        }

        @Override
        public Availability probe() {
            return Availability.unavailable("missing", REASON);
        }

        @Override
        public Backend create() {
            throw new BackendUnavailableException("backend 'missing' is unavailable: " + REASON);
        }
    }

    /** A provider whose probe breaks its promise never to throw. */
    public static final class Broken implements BackendProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public Availability probe() {
            throw new UnsatisfiedLinkError("no fixture in java.library.path");
        }

        @Override
        public Backend create() {
            throw new UnsatisfiedLinkError("no fixture in java.library.path");
        }
    }
}
