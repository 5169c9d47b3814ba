// @ts-check
// Preloaded into the n8n main process by test/harness/n8n.js (`node -r parent-watchdog.js n8n start`).
// If the process that started n8n disappears without stopping it (jest worker killed, Ctrl-C,
// SIGKILL), n8n would otherwise keep running with its ports open. This watchdog notices the parent
// is gone, asks n8n to shut down (SIGTERM: graceful, the task runner child exits too) and, if that
// has not finished after a grace period, kills the whole process group (n8n is started detached,
// so the group is n8n + its task runner).
'use strict';

const parentPid = Number(process.env.N8N_HARNESS_PARENT_PID);
delete process.env.N8N_HARNESS_PARENT_PID;

/** @param {number} pid */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

if (parentPid > 0) {
	const timer = setInterval(() => {
		if (process.ppid === parentPid && alive(parentPid)) return;
		clearInterval(timer);
		process.kill(process.pid, 'SIGTERM');
		try {
			process.stderr.write(`[n8n-harness watchdog] parent ${parentPid} is gone; shutting n8n down\n`);
		} catch {
			// stderr may be gone with the parent
		}
		setTimeout(() => {
			try {
				process.kill(-process.pid, 'SIGKILL');
			} catch {
				process.exit(1);
			}
		}, 10_000).unref();
	}, 1000);
	timer.unref();
}
