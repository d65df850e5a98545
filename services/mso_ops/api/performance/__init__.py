"""Post-visit surveys, KPI targets and the monthly performance report."""
