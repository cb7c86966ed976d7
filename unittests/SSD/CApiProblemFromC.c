/* Creates a forward from C with the given form and dtype fields, as a C
 * caller fills them (CApiTest.cpp checks what comes back). */
#include "ssdc-c/ssd.h"

ssdc_status_t ssdcTestCreateForward(int form, int dtype) {
  ssdc_ssd_problem_t problem;
  ssdc_ssd_forward_t *forward = NULL;
  ssdc_ssd_problem_initialize(&problem);
  problem.form = form;
  problem.dtype = dtype;
  return ssdc_ssd_forward_create(NULL, &problem, &forward);
}
