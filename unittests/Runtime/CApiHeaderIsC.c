/* Compiles the C API header as C and exercises its inline helpers. */
#include "ssdc-c/runtime.h"

int ssdcCApiHeaderIsC(void) {
  ssdc_arg_t n = ssdc_arg_int("T", 100);
  ssdc_device_options_t options;
  ssdc_device_options_initialize(&options);
  return n.kind == SSDC_ARG_INT && n.value == 100 && options.ordinal == 0;
}
