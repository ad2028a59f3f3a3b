package dev.myelin.cuda;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds a shared library file by its soname ({@code libcublas.so.13}). The backend's probe asks it
 * instead of the file system, so tests can stand in any installation: no driver, a driver without
 * cuBLAS, CUDA 12 libraries, CUDA 13 libraries only.
 */
interface LibraryLookup {

    /** The file of {@code soname}, if there is one. */
    Optional<Path> find(String soname);

    /** Where it looks, in words for an error message. */
    String places();

    /** A lookup answering from {@code find}, describing its places as {@code places}. */
    static LibraryLookup of(Function<String, Optional<Path>> find, String places) {
        return new LibraryLookup() {
            @Override
            public Optional<Path> find(String soname) {
                return find.apply(soname);
            }

            @Override
            public String places() {
                return places;
            }
        };
    }
}
