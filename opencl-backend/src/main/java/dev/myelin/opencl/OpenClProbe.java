package dev.myelin.opencl;

import dev.myelin.spi.Availability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether the OpenCL backend can run here and on which device. Never throws: a missing ICD
 * loader, no platform, no device or a device the kernels cannot use each become an unavailable
 * {@link Availability} whose reason says what to install or set.
 *
 * <p>Order: GPUs first ({@link Availability#RANK_GPU} + {@value #GPU_BONUS}; CUDA, when present, is
 * expected to rank above), then accelerators, then CPU devices at {@link Availability#RANK_OPENCL_CPU},
 * below the Java CPU backend that runs on the same cores without a driver in between. Among equals the
 * device with more compute units wins. The system property {@value #DEVICE_PROPERTY} picks a device by
 * index (in the order {@code clinfo} lists them) or by a substring of its platform or device name.
 */
final class OpenClProbe {

    public static final String NAME = "opencl";
    public static final String DEVICE_PROPERTY = "myelin.opencl.device";
    static final int GPU_BONUS = 10;
    static final int ACCELERATOR_BONUS = 5;

    private OpenClProbe() {
    }

    /** What the probe found: the availability line and, when available, the device to open. */
    public record Selection(Availability availability, ClDevice device) {
    }

    /** Probes with {@code discovery}; {@code selector} is the value of {@value #DEVICE_PROPERTY} or null. */
    public static Selection probe(DeviceDiscovery discovery, String selector) {
        DeviceDiscovery.Result found;
        try {
            found = discovery.discover();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return unavailable(loadFailure(e));
        } catch (Throwable t) {
            return unavailable("querying OpenCL failed: " + t + "; check the driver with `clinfo`");
        }
        try {
            return choose(found, selector);
        } catch (RuntimeException e) {
            return unavailable("choosing an OpenCL device failed: " + e);
        }
    }

    static String loadFailure(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("JOCL") && !msg.contains("OpenCL")) {
            return "JOCL's native library did not load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + msg;
        }
        return "no OpenCL ICD loader (libOpenCL.so.1 could not be loaded: " + msg + "): install it (Debian: "
                + "ocl-icd-libopencl1) and a driver (e.g. pocl-opencl-icd, or the GPU vendor's OpenCL ICD)";
    }

    static Selection choose(DeviceDiscovery.Result found, String selector) {
        if (found.platforms() == 0) {
            return unavailable("no OpenCL platform: the ICD loader found no driver in /etc/OpenCL/vendors; install "
                    + "one, e.g. pocl-opencl-icd (runs on the CPU) or the GPU vendor's OpenCL ICD");
        }
        List<ClDevice> all = found.devices();
        if (all.isEmpty()) {
            return unavailable("OpenCL found " + found.platforms() + " platform(s) but no device: check the driver "
                    + "with `clinfo` (a GPU driver may need the user in the 'render' or 'video' group)");
        }
        List<ClDevice> candidates = all;
        if (selector != null && !selector.isBlank()) {
            candidates = select(all, selector.trim());
            if (candidates.isEmpty()) {
                return unavailable(DEVICE_PROPERTY + "=" + selector + " matches no OpenCL device; devices: "
                        + list(all));
            }
        }
        List<ClDevice> usable = new ArrayList<>();
        StringBuilder rejected = new StringBuilder();
        for (ClDevice d : candidates) {
            String why = d.unsuitability();
            if (why == null) {
                usable.add(d);
            } else {
                rejected.append(rejected.isEmpty() ? "" : "; ").append(d.name()).append(": ").append(why);
            }
        }
        if (usable.isEmpty()) {
            return unavailable("no OpenCL device the kernels can run on: " + rejected);
        }
        ClDevice best = usable.stream().max(Comparator.comparingInt(OpenClProbe::rank)
                .thenComparingInt(ClDevice::computeUnits)).orElseThrow();
        int rank = rank(best);
        StringBuilder detail = new StringBuilder(why(best, rank));
        if (selector != null && !selector.isBlank()) {
            detail.append("; chosen by ").append(DEVICE_PROPERTY).append('=').append(selector);
        } else if (all.size() > 1) {
            detail.append("; ").append(all.size()).append(" devices, pick another with -D").append(DEVICE_PROPERTY)
                    .append("=<index or name>");
        }
        if (!rejected.isEmpty()) {
            detail.append("; unusable: ").append(rejected);
        }
        return new Selection(Availability.ready(NAME, rank, best.describe(), detail.toString()), best);
    }

    static int rank(ClDevice d) {
        return switch (d.type()) {
            case GPU -> Availability.RANK_GPU + GPU_BONUS;
            case ACCELERATOR -> Availability.RANK_GPU + ACCELERATOR_BONUS;
            case CPU, OTHER -> Availability.RANK_OPENCL_CPU;
        };
    }

    private static String why(ClDevice d, int rank) {
        return switch (d.type()) {
            case GPU -> "GPU device: ranks first among the available backends (rank " + rank + ")";
            case ACCELERATOR -> "accelerator device: ranks with the GPUs (rank " + rank + ")";
            case CPU, OTHER -> "CPU device: ranks below the Java CPU backend (rank " + rank + " < "
                    + Availability.RANK_JAVA_CPU + ") because both run on the same cores and the Java backend needs "
                    + "no driver; select it with -Dmyelin.backend=opencl";
        };
    }

    private static List<ClDevice> select(List<ClDevice> all, String selector) {
        if (selector.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(selector);
            return index < all.size() ? List.of(all.get(index)) : List.of();
        }
        String s = selector.toLowerCase(Locale.ROOT);
        return all.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(s)
                || d.platform().toLowerCase(Locale.ROOT).contains(s)).toList();
    }

    private static String list(List<ClDevice> all) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append(": ").append(all.get(i).name());
        }
        return sb.toString();
    }

    private static Selection unavailable(String reason) {
        return new Selection(Availability.unavailable(NAME, reason), null);
    }
}
