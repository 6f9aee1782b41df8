// tools/setup.ts's kernelspec step, run with a private JUPYTER_DATA_DIR and HOME (never the user's).
import assert from "node:assert/strict";
import { ROOT } from "../tools/jupyter.ts";

async function setup(
  jupyterData: string,
  home: string,
  steps: string[] = ["--kernelspec"],
  env: Record<string, string> = {},
): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "tools/setup.ts", ...steps],
    cwd: ROOT,
    // DENO_DIR pinned so a private HOME does not mean a fresh download cache.
    env: {
      JUPYTER_DATA_DIR: jupyterData,
      HOME: home,
      XDG_CACHE_HOME: `${home}/.cache`,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.ok(r.success, text.decode(r.stderr));
  return text.decode(r.stdout);
}

const spec = (argv0: string) =>
  JSON.stringify({
    argv: [argv0, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "My Deno",
    language: "typescript",
  });

Deno.test("setup: a deno kernelspec that starts is left alone, byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-setup-" });
  try {
    await Deno.mkdir(`${dir}/jd/kernels/deno`, { recursive: true });
    const file = `${dir}/jd/kernels/deno/kernel.json`;
    await Deno.writeTextFile(file, spec(Deno.execPath()));
    const out = await setup(`${dir}/jd`, `${dir}/home`);
    assert.match(
      out,
      /^\[setup\] deno kernelspec: kept .*jd\/kernels\/deno \(starts .*, deno 2\.9\.6\); without the lib's launcher .* `deno run -A tools\/setup.ts --kernelspec --launcher` adds it\n$/,
    );
    assert.equal(await Deno.readTextFile(file), spec(Deno.execPath()));
    assert.deepEqual([...Deno.readDirSync(`${dir}/jd/kernels/deno`)].map((e) => e.name), [
      "kernel.json",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("setup: registers a kernelspec when none exists, and a broken one is replaced with the old file kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-setup-" });
  try {
    const file = `${dir}/jd/kernels/deno/kernel.json`;
    const first = await setup(`${dir}/jd`, `${dir}/home`);
    assert.match(
      first,
      /deno kernelspec: none found; registered .*jd\/kernels\/deno\/kernel\.json for /,
    );
    const written = JSON.parse(await Deno.readTextFile(file));
    // The launcher, copied beside kernel.json, starting a Deno.
    assert.deepEqual(written.argv.slice(0, 3), [
      "python3",
      `${dir}/jd/kernels/deno/kernel_launcher.py`,
      "--deno",
    ]);
    assert.equal(
      await Deno.readTextFile(`${dir}/jd/kernels/deno/kernel_launcher.py`),
      await Deno.readTextFile(`${ROOT}/tools/kernel_launcher.py`),
    );
    const argv0 = written.argv[3] as string;
    // A stable Deno, not npx's cache: this Deno if it is installed, else a copy in ~/.deno/bin.
    assert.doesNotMatch(argv0, /\/_npx\//);
    const version = await new Deno.Command(argv0, { args: ["--version"], stdout: "piped" })
      .output();
    assert.match(new TextDecoder().decode(version.stdout), /^deno 2\.9\.6 /);

    const second = await setup(`${dir}/jd`, `${dir}/home`);
    assert.match(second, /deno kernelspec: kept /);
    assert.doesNotMatch(second, /registered|copied/);

    await Deno.writeTextFile(file, spec(`${dir}/no-such-deno`));
    const third = await setup(`${dir}/jd`, `${dir}/home`);
    assert.match(
      third,
      /cannot start ".*no-such-deno"; registered .* \(old file kept as .*kernel\.json\.broken\)/,
    );
    assert.equal(JSON.parse(await Deno.readTextFile(file)).argv[3], argv0);
    assert.equal(await Deno.readTextFile(`${file}.broken`), spec(`${dir}/no-such-deno`));

    // The lib's own spec with an older launcher: upgraded in place, same Deno.
    await Deno.writeTextFile(`${dir}/jd/kernels/deno/kernel_launcher.py`, "# old\n");
    const fourth = await setup(`${dir}/jd`, `${dir}/home`);
    assert.match(fourth, /deno kernelspec: upgraded the launcher of .*jd\/kernels\/deno \(starts /);
    assert.equal(
      await Deno.readTextFile(`${dir}/jd/kernels/deno/kernel_launcher.py`),
      await Deno.readTextFile(`${ROOT}/tools/kernel_launcher.py`),
    );
    assert.equal(JSON.parse(await Deno.readTextFile(file)).argv[3], argv0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("setup: --launcher gives a user's own working kernelspec the launcher, keeping the old file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-setup-" });
  try {
    await Deno.mkdir(`${dir}/jd/kernels/deno`, { recursive: true });
    const file = `${dir}/jd/kernels/deno/kernel.json`;
    await Deno.writeTextFile(file, spec(Deno.execPath()));
    const out = await setup(`${dir}/jd`, `${dir}/home`, ["--kernelspec", "--launcher"]);
    assert.match(
      out,
      /registered .*kernel\.json with the launcher .*\(old file kept as .*kernel\.json\.orig\)/,
    );
    assert.equal(await Deno.readTextFile(`${file}.orig`), spec(Deno.execPath()));
    const written = JSON.parse(await Deno.readTextFile(file));
    assert.equal(written.argv[3], Deno.execPath(), "the same Deno as the user's spec");
    assert.deepEqual(written.metadata, { dlnb: { launcher: "kernel_launcher.py" } });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The JupyterLab step with pip unable to find anything (no index, an empty folder of wheels), so
// it stops after the venv: what a machine without JupyterLab's wheels gets.
const noPip = (dir: string) => ({
  PIP_NO_INDEX: "1",
  PIP_FIND_LINKS: dir,
  PIP_CONFIG_FILE: "/dev/null",
});

Deno.test("setup: the JupyterLab venv leaves a folder it did not make alone, byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-setup-" });
  try {
    const venv = `${dir}/home/.cache/dlnb/jupyterlab-venv`;
    await Deno.mkdir(venv, { recursive: true });
    await Deno.writeTextFile(`${venv}/notes.txt`, "mine");
    const out = await setup(`${dir}/jd`, `${dir}/home`, ["--jupyterlab"], noPip(dir));
    assert.match(out, /jupyterlab-venv exists and was not made by this setup; left alone/);
    assert.deepEqual([...Deno.readDirSync(venv)].map((e) => e.name), ["notes.txt"]);
    assert.equal(await Deno.readTextFile(`${venv}/notes.txt`), "mine");
    assert.deepEqual([...Deno.readDirSync(`${dir}/home/.cache/dlnb`)].map((e) => e.name), [
      "jupyterlab-venv",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("setup: the JupyterLab venv is made in a fresh home, and a half-made one is finished, not skipped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dlnb-setup-" });
  try {
    const venv = `${dir}/home/.cache/dlnb/jupyterlab-venv`;
    const wheels = `${dir}/wheels`;
    await Deno.mkdir(wheels);
    // A fresh home: not even ~/.cache. pip fails, so the venv stays half-made (no .dlnb-ok).
    const first = await setup(`${dir}/jd`, `${dir}/home`, ["--jupyterlab"], noPip(wheels));
    assert.match(first, /JupyterLab missing: python3 -m venv .*jupyterlab-venv; pip install/);
    assert.match(first, /could not install it here, its browser test is skipped/);
    assert.ok(Deno.statSync(`${venv}/pyvenv.cfg`).isFile, first);
    assert.ok(Deno.statSync(`${venv}/.dlnb-setup`).isFile);
    assert.throws(() => Deno.statSync(`${venv}/.dlnb-ok`));
    // The next run knows the folder for its own and tries again in it.
    const second = await setup(`${dir}/jd`, `${dir}/home`, ["--jupyterlab"], noPip(wheels));
    assert.match(second, /JupyterLab missing: python3 -m venv/);
    assert.doesNotMatch(second, /not made by this setup/);
    // An empty folder where the venv goes (what older setups left) is taken, not skipped.
    await Deno.remove(venv, { recursive: true });
    await Deno.mkdir(venv);
    const third = await setup(`${dir}/jd`, `${dir}/home`, ["--jupyterlab"], noPip(wheels));
    assert.match(third, /JupyterLab missing: python3 -m venv/);
    assert.ok(Deno.statSync(`${venv}/pyvenv.cfg`).isFile, third);
    assert.deepEqual(
      [...Deno.readDirSync(`${dir}/home/.cache/dlnb`)].map((e) => e.name),
      ["jupyterlab-venv"],
      "no lock left behind",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
