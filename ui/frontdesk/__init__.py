"""前台: tickets, appointments and the visitor's history at the front desk."""
