package dev.myelin.cuda;

import dev.myelin.spi.Availability;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the CUDA backend can run here and with which libraries, naming everything that
 * is missing at once (a person fixing the installation should not have to iterate).
 *
 * <p>The driver ({@code libcuda.so.1}) must be present and see the chosen device. cuBLAS and NVRTC
 * are each taken from the first CUDA major version in {@link CudaLibraries#MAJORS} whose libraries
 * are installed and that the driver can run (a CUDA 13 library needs a CUDA 13 driver, release 580
 * or newer): CUDA 12's through JCuda's bindings, CUDA 13's through {@code java.lang.foreign}.
 */
final class CudaProbe {

    private CudaProbe() {
    }

    /** The plan for device {@code ordinal}, from the libraries found and the driver's answer. */
    public static CudaPlan plan(CudaLibraries libs, DriverQuery driver, int ordinal) {
        List<String> problems = new ArrayList<>();
        CudaDevice device = null;
        int driverVersion = 0;
        if (libs.driver().isEmpty()) {
            problems.add("no NVIDIA driver: " + CudaLibraries.DRIVER + " not found (install the NVIDIA driver, "
                    + "release 525 or newer for CUDA 12, 580 or newer for CUDA 13)");
        } else {
            DriverQuery.Survey survey;
            try {
                survey = driver.survey();
            } catch (Throwable t) {
                survey = DriverQuery.Survey.failed("asking the CUDA driver failed: " + t);
            }
            if (!survey.ok()) {
                problems.add(survey.failure());
            } else {
                driverVersion = survey.driverVersion();
                if (survey.devices().isEmpty()) {
                    problems.add("no CUDA device: the driver (CUDA " + CudaVersions.cuda(driverVersion)
                            + ") reports none");
                } else if (ordinal < 0 || ordinal >= survey.devices().size()) {
                    problems.add("device " + ordinal + " (" + CudaBackendProvider.DEVICE_PROPERTY
                            + ") does not exist: the driver reports " + survey.devices().size() + " device(s)");
                } else {
                    device = survey.devices().get(ordinal);
                }
            }
        }
        int driverMajor = driverVersion > 0 ? CudaVersions.cudaMajor(driverVersion) : -1;
        LibraryBinding blas = choose(libs, "cuBLAS", libs.cublasMajors(), driverMajor, driverVersion, problems);
        LibraryBinding compiler = choose(libs, "NVRTC", libs.nvrtcMajors(), driverMajor, driverVersion, problems);
        if (!problems.isEmpty()) {
            return new CudaPlan(Availability.unavailable(CudaBackendProvider.NAME, String.join("; ", problems)
                    + ". Libraries: " + libs.report() + " (searched " + libs.places() + ")"), device, driverVersion, null,
                    null);
        }
        String detail = "driver CUDA " + CudaVersions.cuda(driverVersion) + "; " + blas.describe() + "; "
                + compiler.describe();
        return new CudaPlan(Availability.ready(CudaBackendProvider.NAME, CudaBackendProvider.RANK, device.describe(),
                detail), device, driverVersion, blas, compiler);
    }

    private static LibraryBinding choose(CudaLibraries libs, String library, List<Integer> majors, int driverMajor,
            int driverVersion, List<String> problems) {
        for (int major : majors) {
            if (driverMajor < 0 || major <= driverMajor) {
                boolean blas = library.equals("cuBLAS");
                return new LibraryBinding(library, major,
                        libs.path(blas ? CudaLibraries.cublas(major) : CudaLibraries.nvrtc(major)).orElseThrow(),
                        blas ? libs.path(CudaLibraries.cublasLt(major)) : Optional.empty(), major == 12);
            }
        }
        if (majors.isEmpty()) {
            problems.add(library + " not found: " + wanted(library) + " (install the CUDA toolkit's " + library
                    + " and put its directory on LD_LIBRARY_PATH, or set " + SystemLibraryLookup.PROPERTY + ")");
        } else {
            problems.add(library + " " + majors + " needs a newer driver: the driver supports CUDA "
                    + CudaVersions.cuda(driverVersion) + " (update the driver, or install " + library + " "
                    + CudaLibraries.MAJORS.getFirst() + ")");
        }
        return null;
    }

    private static String wanted(String library) {
        List<String> names = new ArrayList<>();
        for (int major : CudaLibraries.MAJORS) {
            names.add(library.equals("cuBLAS")
                    ? CudaLibraries.cublas(major) + " with " + CudaLibraries.cublasLt(major)
                    : CudaLibraries.nvrtc(major));
        }
        return "looked for " + String.join(" or ", names);
    }
}
