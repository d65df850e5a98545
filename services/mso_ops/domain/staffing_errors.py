"""Errors of staff, shifts and their assignments, each with a stable problem code."""

from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class StaffMemberNotFound(NotFound):
    code = "staff-member-not-found"
    title = "No such staff member"


class ClinicianAlreadyOnStaff(AlreadyExists):
    code = "clinician-already-on-staff"
    title = "This PC clinician is on the MSO's staff list already"


class ClinicianNotPublished(RuleViolation):
    """Clinical staff are the PC's clinicians: the MSO cannot add one the PC has not announced."""

    code = "clinician-not-published"
    title = "The PC has not published this clinician to the MSO"


class InvalidStaffMember(RuleViolation):
    code = "invalid-staff-member"
    title = "The staff member's details break a rule of staffing"


class ShiftNotFound(NotFound):
    code = "shift-not-found"
    title = "No such shift"


class InvalidShift(RuleViolation):
    code = "invalid-shift"
    title = "The shift's times break a rule of scheduling"


class ShiftCancelled(Conflict):
    code = "shift-cancelled"
    title = "The shift is cancelled"


class StaffAlreadyOnShift(Conflict):
    code = "staff-already-on-shift"
    title = "The staff member is assigned to this shift already"


class StaffNotOnShift(NotFound):
    code = "staff-not-on-shift"
    title = "The staff member is not assigned to this shift"


class ClinicianStandingNotFound(NotFound):
    code = "clinician-standing-not-found"
    title = "The PC has not published this clinician to the MSO"


class SupervisionRulesNotReceived(NotFound):
    code = "supervision-rules-not-received"
    title = "No supervision rules have arrived from the PC yet"


class ClinicianNotCredentialed(RuleViolation):
    """A clinical act names a clinician the PC never published (docs/adr/0019)."""

    code = "clinician-not-credentialed"
    title = "The PC has not credentialed this clinician"


class ClinicianNotEligible(Conflict):
    """A clinical act by a clinician the PC does not hold eligible that day."""

    code = "clinician-not-eligible"
    title = "The clinician is not eligible to practise under the PC"


class ShiftNotCovered(Conflict):
    """A slot over a clinical shift that lacks the coverage the PC requires (a coverage gap)."""

    code = "shift-not-covered"
    title = "The clinical shift over this slot lacks the coverage the PC requires"
