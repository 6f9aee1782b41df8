// tools/setup.ts's kernelspec step, run with a private JUPYTER_DATA_DIR and HOME (never the user's).
import assert from "node:assert/strict";
import { ROOT } from "../tools/jupyter.ts";

async function setup(jupyterData: string, home: string, ...more: string[]): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "tools/setup.ts", "--kernelspec", ...more],
    cwd: ROOT,
    // DENO_DIR pinned so a private HOME does not mean a fresh download cache.
    env: {
      JUPYTER_DATA_DIR: jupyterData,
      HOME: home,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
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
    const out = await setup(`${dir}/jd`, `${dir}/home`, "--launcher");
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
