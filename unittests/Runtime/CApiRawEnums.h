//===- CApiRawEnums.h - Any int in the C API's enum fields ----*- C++ -*-===//
//
// A C caller may store any int in an enum field of ssdc-c/runtime.h; C++
// may not (converting an int outside an enum's range to it is undefined), so
// the bad-input tests have C code store them (CApiRawEnums.c).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_RUNTIME_CAPIRAWENUMS_H
#define SSDC_UNITTESTS_RUNTIME_CAPIRAWENUMS_H

#include "ssdc-c/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

void ssdcTestSetArgKind(ssdc_arg_t *arg, int kind);
void ssdcTestSetArgType(ssdc_arg_t *arg, int type);
void ssdcTestSetTuningMode(ssdc_device_options_t *options, int mode);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // SSDC_UNITTESTS_RUNTIME_CAPIRAWENUMS_H
