"""The Qt front end. It draws the core's state and never trains in its own process: training,
model inspection, data checks, export and predictions run in child processes, so the window
stays responsive and torch is never imported here."""
