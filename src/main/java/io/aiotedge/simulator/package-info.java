/**
 * The motor simulator component: a fleet of simulated shaded-pole motors whose physics
 * ({@link io.aiotedge.simulator.MotorSignals}) develop faults over time, publishing raw frames on
 * {@code aiot/v1/things/{id}/raw} (or the reference firmware's JSON) at QoS 1 like real devices,
 * labelled with their condition. Off except in {@code demo} and test rigs (docs/simulator.md).
 */
package io.aiotedge.simulator;
