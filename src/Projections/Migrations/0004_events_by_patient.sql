-- The API finds a patient's records by the patient id in their creating events (src/Api/Commands/PatientLinks: consents,
-- consultations, prescriptions), in the log itself so a check right after a write sees it. Without this index each of
-- those lookups reads every event of its type; with it, only the patient's. The app role needs no grant to use it.

create index if not exists events_by_patient on eventstore.events ((data->>'patientId'), event_type)
    where event_type in ('consent.granted.v1', 'consultation.requested.v1', 'prescription.drafted.v1');
