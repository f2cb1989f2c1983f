/* The rover the board plays: mode, dead-reckoning motion, housekeeping and events. */
#ifndef RO_ROVER_H
#define RO_ROVER_H

#include "pus.h"

#include <stdint.h>

typedef struct {
    uint16_t accepted;
    uint16_t rejected;
    uint16_t executed;
} rover_counters_t;

void rover_init(void);
rover_counters_t *rover_counters(void);
uint8_t rover_supports(uint8_t command_index);   /* every kind but instruments */
/* Execute an accepted TC (its acceptance already reported); args are validated. */
void rover_execute(uint8_t command_index, const req_id_t *req, const uint8_t *args);
void rover_update(float dt_mission);             /* advance motion by mission seconds */
void rover_housekeeping(void);                   /* send SID 1 now */
void rover_boot_event(void);
/* After the BOOT event: final reports for the requests the last reset cut short. */
void rover_resume(void);

#endif
