/*
 * A stand-in for the NVRTC entry points ForeignNvrtc binds, with NVRTC's prototypes (nvrtc.h).
 * "Compiling" records the options; a source containing "#error" fails with
 * NVRTC_ERROR_COMPILATION (6) and a log, as NVRTC does. The output is text naming the program,
 * its options and its kind (PTX or CUBIN), so a test can check what crossed the boundary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *src;
    char name[256];
    char output[4096];
    char log[512];
} program;

int nvrtcVersion(int *major, int *minor) { *major = 13; *minor = 0; return 0; }

int nvrtcGetNumSupportedArchs(int *n) { *n = 4; return 0; }

int nvrtcGetSupportedArchs(int *archs) {
    archs[0] = 75; archs[1] = 80; archs[2] = 86; archs[3] = 90;
    return 0;
}

int nvrtcCreateProgram(program **prog, const char *src, const char *name, int numHeaders, const char *const *headers,
                       const char *const *includeNames) {
    (void)headers; (void)includeNames;
    if (numHeaders != 0) return 3;
    program *p = calloc(1, sizeof(program));
    p->src = strdup(src);
    snprintf(p->name, sizeof p->name, "%s", name);
    *prog = p;
    return 0;
}

int nvrtcCompileProgram(program *p, int numOptions, const char *const *options) {
    if (strstr(p->src, "#error")) {
        snprintf(p->log, sizeof p->log, "%s(1): error: stand-in rejects #error", p->name);
        return 6;
    }
    int used = snprintf(p->output, sizeof p->output, "// %s (%zu bytes) options:", p->name, strlen(p->src));
    for (int i = 0; i < numOptions; i++) {
        used += snprintf(p->output + used, sizeof p->output - used, " %s", options[i]);
    }
    return 0;
}

int nvrtcGetPTXSize(program *p, size_t *size) { *size = strlen(p->output) + 1; return 0; }
int nvrtcGetPTX(program *p, char *out) { memcpy(out, p->output, strlen(p->output) + 1); return 0; }
/* A CUBIN is binary with no terminator: the stand-in returns the text without its NUL. */
int nvrtcGetCUBINSize(program *p, size_t *size) { *size = strlen(p->output); return 0; }
int nvrtcGetCUBIN(program *p, char *out) { memcpy(out, p->output, strlen(p->output)); return 0; }
int nvrtcGetProgramLogSize(program *p, size_t *size) { *size = strlen(p->log) + 1; return 0; }
int nvrtcGetProgramLog(program *p, char *out) { memcpy(out, p->log, strlen(p->log) + 1); return 0; }

int nvrtcDestroyProgram(program **prog) {
    free((*prog)->src);
    free(*prog);
    *prog = NULL;
    return 0;
}

const char *nvrtcGetErrorString(int result) {
    return result == 6 ? "NVRTC_ERROR_COMPILATION" : result == 0 ? "NVRTC_SUCCESS" : "NVRTC_ERROR";
}
