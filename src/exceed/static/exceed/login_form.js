// The login form shows only the scope fields the chosen role uses; without script all stay
// visible and the server refuses a scope the role does not use.
document.addEventListener("DOMContentLoaded", () => {
  const role = document.getElementById("id_role");
  if (!role) return;
  const rows = { regions: "regional_manager", locations: "location_manager" };
  const update = () => {
    for (const [name, wanted] of Object.entries(rows)) {
      const row = document.querySelector(`[data-field="${name}"]`);
      if (row) row.hidden = role.value !== wanted;
    }
  };
  role.addEventListener("change", update);
  update();
});
