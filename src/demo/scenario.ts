// The demo's scenario, fixed: a 45-minute class of 30 students, a fleet of 20 field devices
// and 5 consoles, QoS every 2 seconds. The scripts come from the shared behaviour models;
// the test of the demo reads the same scripts to compute what the demo must print.
import { classScript, type ClassScript } from "../simulate/class-model.ts";
import { fleetScript, type FleetScript } from "../simulate/device-model.ts";

export const CLASS_SECONDS = 45 * 60;
export const STUDENTS = 30;
export const FIELD_DEVICES = 20;
export const CONSOLES = 5;
export const QOS_EVERY_S = 2;
export const SEED = 20261122;
/** When the push worker reports its one exception (seconds into the class). */
export const PUSH_EXCEPTION_AT = 1200;
/** The device whose sessions the demo lists, and the user whose QoS it summarises. */
export const SHOWN_DEVICE = "field_01";
export const SHOWN_QOS_USER = "Teacher";

export interface Scenario {
  cls: ClassScript;
  fleet: FleetScript;
}

export function demoScenario(): Scenario {
  return {
    cls: classScript({ students: STUDENTS, durationS: CLASS_SECONDS, seed: SEED }),
    fleet: fleetScript({ fields: FIELD_DEVICES, consoles: CONSOLES, durationS: CLASS_SECONDS }),
  };
}
