package dev.myelin.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Looks for CUDA libraries where installations put them, in this order: the directories of the
 * system property {@code myelin.cuda.libraryPath}, {@code LD_LIBRARY_PATH},
 * {@code $CUDA_HOME}/{@code $CUDA_PATH} ({@code lib64}, {@code targets/x86_64-linux/lib}), every
 * {@code /usr/local/cuda*} (newest version first, each with the same two sub-directories), the
 * directories listed in {@code /etc/ld.so.conf.d/*.conf}, and the standard library directories
 * (including WSL's {@code /usr/lib/wsl/lib}, where its driver library lives). It only checks that
 * files exist; nothing is loaded.
 */
final class SystemLibraryLookup implements LibraryLookup {

    /** Directories separated by the path separator, searched before everything else. */
    public static final String PROPERTY = "myelin.cuda.libraryPath";

    private static final List<String> STANDARD = List.of("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu",
            "usr/lib64", "lib64", "usr/lib", "lib", "usr/lib/wsl/lib");
    private static final List<String> CUDA_SUBDIRS = List.of("lib64", "targets/x86_64-linux/lib");

    private final List<Path> directories;

    /** Looks in the directories of this machine and process. */
    public SystemLibraryLookup() {
        this(Path.of("/"), System.getenv(), System.getProperty(PROPERTY, ""));
    }

    /**
     * Looks under {@code root} (the file system's root, or a test's stand-in), with the environment
     * {@code env} and the extra directories {@code extraPath}.
     */
    public SystemLibraryLookup(Path root, Map<String, String> env, String extraPath) {
        this.directories = directories(root, env, extraPath);
    }

    /** The directories searched, in order. */
    public List<Path> directories() {
        return directories;
    }

    @Override
    public Optional<Path> find(String soname) {
        for (Path dir : directories) {
            Path file = dir.resolve(soname);
            if (Files.isRegularFile(file)) {  // follows the usual soname -> real file links
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    @Override
    public String places() {
        return "property " + PROPERTY + ", LD_LIBRARY_PATH, CUDA_HOME/CUDA_PATH, /usr/local/cuda*/lib64, "
                + "/usr/local/cuda*/targets/x86_64-linux/lib, /etc/ld.so.conf.d, the standard library directories"
                + " (" + directories.size() + " directories here)";
    }

    private static List<Path> directories(Path root, Map<String, String> env, String extraPath) {
        Set<Path> dirs = new LinkedHashSet<>();
        addPathList(dirs, extraPath);
        addPathList(dirs, env.get("LD_LIBRARY_PATH"));
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                for (String sub : CUDA_SUBDIRS) {
                    dirs.add(Path.of(home).resolve(sub));
                }
            }
        }
        for (Path cuda : cudaInstallations(root.resolve("usr/local"))) {
            for (String sub : CUDA_SUBDIRS) {
                dirs.add(cuda.resolve(sub));
            }
        }
        dirs.addAll(ldSoConfDirectories(root));
        for (String s : STANDARD) {
            dirs.add(root.resolve(s));
        }
        return List.copyOf(dirs);
    }

    private static void addPathList(Set<Path> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String part : list.split(java.io.File.pathSeparator)) {
            if (!part.isBlank()) {
                dirs.add(Path.of(part.trim()));
            }
        }
    }

    /** {@code cuda}, then {@code cuda-13.0}, {@code cuda-12.6}, ... (highest version first). */
    private static List<Path> cudaInstallations(Path usrLocal) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(usrLocal)) {
            return found;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(usrLocal, "cuda*")) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    found.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return found;  // an unreadable directory is one place fewer to look, not a failure
        }
        found.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().equals("cuda"))
                .thenComparing(p -> versionKey(p.getFileName().toString()), Comparator.reverseOrder()));
        return found;
    }

    /** "cuda-12.10" sorts above "cuda-12.6": compare the numbers, padded. */
    private static String versionKey(String name) {
        StringBuilder key = new StringBuilder();
        for (String part : name.replaceAll("[^0-9.]", "").split("\\.")) {
            if (!part.isEmpty()) {
                key.append(String.format("%06d", Long.parseLong(part.length() > 6 ? part.substring(0, 6) : part)));
            }
        }
        return key.toString();
    }

    private static List<Path> ldSoConfDirectories(Path root) {
        List<Path> dirs = new ArrayList<>();
        Path conf = root.resolve("etc/ld.so.conf.d");
        if (!Files.isDirectory(conf)) {
            return dirs;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(conf, "*.conf")) {
            ds.forEach(files::add);
        } catch (IOException | RuntimeException e) {
            return dirs;
        }
        files.sort(Comparator.naturalOrder());
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f)) {
                    String s = line.strip();
                    if (s.startsWith("/")) {
                        dirs.add(root.resolve(s.substring(1)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: skip it, the other places still count
            }
        }
        return dirs;
    }
}
