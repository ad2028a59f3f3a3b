package dev.myelin.cli;

import dev.myelin.data.FashionMnist;
import dev.myelin.data.MissingDataException;
import dev.myelin.data.TrainTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads Fashion-MNIST for the commands. When it is nowhere to be found and no folder was named, a
 * process running as root installs Debian's {@code dataset-fashion-mnist} package and loads it from
 * there; anyone else gets the loader's message, which lists the places searched and how to get the files.
 */
final class FashionMnistData {

    static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    private FashionMnistData() {
    }

    static TrainTest load(Path dataDir, PrintWriter log) throws IOException, InterruptedException {
        try {
            return FashionMnist.load(dataDir);
        } catch (MissingDataException e) {
            if (dataDir != null || !isRoot()) {
                throw e;
            }
            log.println("Fashion-MNIST is not installed: installing Debian's " + DEBIAN_PACKAGE + " package");
            log.flush();
            // A fresh machine may have no package lists yet: update once, then retry.
            if (apt(log, "install", "-y", "-q", DEBIAN_PACKAGE) != 0
                    && (apt(log, "update", "-q") != 0 || apt(log, "install", "-y", "-q", DEBIAN_PACKAGE) != 0)) {
                throw new CommandFailure("apt-get could not install " + DEBIAN_PACKAGE + " (see its output above). "
                        + e.getMessage());
            }
            return FashionMnist.load(null);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;   // not Linux: never try to install anything
        }
    }

    private static int apt(PrintWriter log, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "apt-get";
        System.arraycopy(args, 0, command, 1, args.length);
        log.println("$ " + String.join(" ", command));
        log.flush();
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
