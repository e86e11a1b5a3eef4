/**
 * The benchmark-only Python environment for the seed's pandas code: .local/bench-venv with pinned pandas
 * and pyarrow from PyPI. Neither is a project dependency; only the benchmarks use this venv.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// pandas 3 stores strings in pyarrow when pyarrow is installed, which is what makes its read_csv fast.
export const benchPythonPackages = { pandas: '3.1.1', pyarrow: '26.0.1' };

const venvDir = path.resolve(__dirname, '..', '.local', 'bench-venv');
const venvPython = path.join(venvDir, 'bin', 'python');
const expectedVersions = `${benchPythonPackages.pandas} ${benchPythonPackages.pyarrow}`;

function installedVersions(): string | undefined {
  if (!existsSync(venvPython)) return undefined;
  const probe = spawnSync(venvPython, ['-c', 'import pandas, pyarrow; print(pandas.__version__, pyarrow.__version__)'], {
    encoding: 'utf8',
  });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Returns the venv's python, creating the venv and installing the pinned packages when they are missing. */
export function benchPython(): string {
  if (installedVersions() === expectedVersions) return venvPython;
  const basePython = process.env.BENCH_PYTHON ?? 'python3.11';
  console.log(`Installing pandas ${benchPythonPackages.pandas} and pyarrow ${benchPythonPackages.pyarrow} into ${venvDir} ...`);
  try {
    execFileSync(basePython, ['-m', 'venv', venvDir], { stdio: 'inherit' });
    const pins = Object.entries(benchPythonPackages).map(([name, version]) => `${name}==${version}`);
    execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...pins], {
      stdio: 'inherit',
    });
  } catch (err) {
    throw new Error(
      `could not set up ${venvDir} with ${basePython} (${(err as Error).message}); ` +
        'it needs Python 3.11+ and access to PyPI; set BENCH_PYTHON to another interpreter, or delete the folder and retry',
      { cause: err },
    );
  }
  const installed = installedVersions();
  if (installed !== expectedVersions) {
    throw new Error(`${venvDir} holds pandas/pyarrow ${installed ?? 'that do not import'}, expected ${expectedVersions}; delete it and retry`);
  }
  return venvPython;
}
