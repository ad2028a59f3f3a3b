// A kernel with a type error, for the test that a failed build reports the compiler's log.
__kernel void broken(__global float *x) {
    x[get_global_id(0)] = undeclared_identifier;
}
