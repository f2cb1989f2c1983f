/* Board time: a 1 kHz timer tick, and the mission clock derived from it.
 *
 * Mission time = seconds set by SYNC_TIME + time_scale x board wall time elapsed since.
 * Before the first SYNC_TIME it counts from 0 (2000-01-01Z) at scale 1. */
#ifndef RO_CLOCK_H
#define RO_CLOCK_H

#include <stdint.h>

void clock_init(void);
uint32_t clock_millis(void);
/* Advance the mission clock to now; the mission seconds elapsed since the previous call. */
float clock_update(void);
void clock_sync(uint32_t seconds, float time_scale);
void clock_mission(uint32_t *coarse, uint16_t *fine);  /* CUC fields of mission time */

#endif
