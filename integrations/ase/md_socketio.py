#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""ASE molecular dynamics with anisodrive as the force driver, over ASE's i-PI socket server.

ASE's ``SocketIOCalculator`` listens; ``anisodrive drive`` connects to it and returns energy,
forces and virial every step. Start this script first, then the driver (or pass ``--launch``
to let ASE start the driver itself)::

    python3 md_socketio.py --init ../../examples/gayberne-dumbbells/init.xyz --unix anisodrive &
    npx anisodrive drive --config ../../examples/gayberne-dumbbells/driver.json -u -a anisodrive

``python3`` must be a Python with ASE (and numpy, which ASE brings); with one that lacks them the
script prints one line naming the interpreter and how to install ASE, and exits with status 2.

Each step prints one JSON line (step, time in fs, potential, kinetic and total energy in eV,
temperature in K) to stdout or to ``--log``; the last line is a summary with the total-energy
drift. Tested with Debian's python3-ase 3.22.1.
"""
import argparse
import json
import socket
import subprocess
import sys
import time

try:
    import numpy as np
    from ase import units
    from ase.calculators.socketio import SocketIOCalculator
    from ase.io import read
    from ase.md.langevin import Langevin
    from ase.md.velocitydistribution import MaxwellBoltzmannDistribution, Stationary
    from ase.md.verlet import VelocityVerlet
except ImportError as err:
    # One line, no traceback: which Python ran, what is missing, how to get it (exit 2: bad setup).
    missing = getattr(err, 'name', None) or str(err)
    sys.stderr.write(
        'md_socketio.py: cannot import %s in %s (Python %s): it needs ASE and numpy; install them for this '
        'interpreter (Debian/Ubuntu, for /usr/bin/python3: apt-get install python3-ase; any Python: %s -m pip install ase), '
        'or run the script with a Python that has ASE\n' % (missing, sys.executable, sys.version.split()[0], sys.executable))
    sys.exit(2)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--init', required=True, help='initial structure (extxyz; a masses column is honoured)')
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument('--unix', metavar='NAME', help='UNIX socket name (file /tmp/ipi_NAME)')
    where.add_argument('--port', type=int, help='TCP port on all interfaces')
    p.add_argument('--steps', type=int, default=200, help='MD steps (default 200)')
    p.add_argument('--dt', type=float, default=2.0, help='time step in fs (default 2)')
    p.add_argument('--temperature', type=float, default=116.0, help='initial temperature in K (default 116)')
    p.add_argument('--langevin', type=float, default=None, metavar='FRICTION',
                   help='run NVT Langevin with this friction (1/fs) at --temperature instead of NVE')
    p.add_argument('--seed', type=int, default=1, help='random seed for the initial velocities')
    p.add_argument('--log', default='-', help='JSON-lines log file (default stdout)')
    p.add_argument('--launch', default=None, metavar='COMMAND',
                   help='shell command that starts the driver (ASE starts it and watches it)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    atoms = read(args.init)
    rng = np.random.RandomState(args.seed)
    MaxwellBoltzmannDistribution(atoms, temperature_K=args.temperature, rng=rng)
    Stationary(atoms)

    launch = None
    if args.launch:
        def launch(atoms, properties=None, port=None, unixsocket=None):
            return subprocess.Popen(args.launch, shell=True)

    out = sys.stdout if args.log == '-' else open(args.log, 'w')
    with SocketIOCalculator(unixsocket=args.unix, port=args.port, launch_client=launch) as calc:
        if args.port is not None and calc.server is not None:
            # ASE's server writes each message in pieces; without TCP_NODELAY every step pays the
            # ~40 ms Nagle/delayed-ACK stall. Accepted sockets inherit the option on Linux.
            calc.server.serversocket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        atoms.calc = calc
        if args.langevin is None:
            dyn = VelocityVerlet(atoms, timestep=args.dt * units.fs)
        else:
            dyn = Langevin(atoms, timestep=args.dt * units.fs, temperature_K=args.temperature,
                           friction=args.langevin / units.fs, rng=rng)
        start = time.perf_counter()
        totals = []

        def record():
            epot = atoms.get_potential_energy()
            ekin = atoms.get_kinetic_energy()
            totals.append(epot + ekin)
            row = {'step': dyn.nsteps, 'time_fs': dyn.nsteps * args.dt, 'epot': epot, 'ekin': ekin,
                   'etot': epot + ekin, 'temperature_K': atoms.get_temperature()}
            print(json.dumps(row), file=out, flush=True)

        dyn.attach(record, interval=1)  # ASE also calls observers once before the first step
        dyn.run(args.steps)
        wall = time.perf_counter() - start
        e = np.array(totals)
        summary = {'summary': True, 'steps': args.steps, 'natoms': len(atoms),
                   'drift_eV': float(e[-1] - e[0]), 'max_dev_eV': float(np.max(np.abs(e - e[0]))),
                   'wall_s': wall, 'ms_per_step': 1000 * wall / max(1, args.steps)}
        print(json.dumps(summary), file=out, flush=True)
    if out is not sys.stdout:
        out.close()


if __name__ == '__main__':
    main()
