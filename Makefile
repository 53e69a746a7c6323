# mcred: `make demo` installs everything and runs the main job end to end; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT := demo-out

.PHONY: install demo test test-fast examples interop lint browser clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,serve]'
	touch $@

interop: interop/node_modules/.installed

interop/node_modules/.installed: interop/package.json interop/package-lock.json
	npm ci --prefix interop --no-audit --no-fund --loglevel=error
	touch $@

# Create a key, sign the ELM example with both suites, verify them, and show a forgery failing.
demo: install
	rm -rf $(OUT) && mkdir -p $(OUT)
	$(BIN)/mcred keygen --out $(OUT)/issuer.pem
	$(BIN)/mcred sign examples/elm-microcredential.json --key $(OUT)/issuer.pem \
		--issuer-from-key --out $(OUT)/credential.json
	$(BIN)/mcred sign examples/elm-microcredential.json --key $(OUT)/issuer.pem \
		--issuer-from-key --suite eddsa-jcs-2022 --out $(OUT)/credential.jcs.json
	$(BIN)/mcred verify $(OUT)/credential.json $(OUT)/credential.jcs.json
	@echo "--- issue ELM micro-credentials from learning-outcome files:"
	$(BIN)/mcred issue examples/its-python-data.yaml --key $(OUT)/issuer.pem --out $(OUT)/giulia-rossi.json
	$(BIN)/mcred issue examples/unito-short-course.yaml --key $(OUT)/issuer.pem \
		--learners examples/roster.csv --out-dir $(OUT)/roster --jobs 2
	$(BIN)/mcred lint $(OUT)/giulia-rossi.json
	$(BIN)/mcred verify $(OUT)/giulia-rossi.json $(OUT)/roster/
	@echo "--- stack Giulia's three micro-credentials for a university pathway:"
	$(BIN)/mcred issue examples/its-sql-databases.yaml --key $(OUT)/issuer.pem --out $(OUT)/giulia-sql.json
	$(BIN)/mcred issue examples/unito-short-course.yaml --key $(OUT)/issuer.pem --out $(OUT)/giulia-ai.json
	$(BIN)/mcred stack $(OUT)/giulia-rossi.json $(OUT)/giulia-sql.json $(OUT)/giulia-ai.json \
		--target examples/stack/pathway-its-to-university.yaml --key $(OUT)/issuer.pem --out $(OUT)/stack.json
	$(BIN)/mcred verify $(OUT)/stack.json --lang it
	@echo "--- an SD-JWT VC for EUDI and IT-Wallet wallets (a TEST-ONLY P-256 issuer key, CA and holder key: keys/):"
	$(BIN)/mcred trust add-anchor --file $(OUT)/wallet-trust.yaml keys/TEST-ONLY-root-ca.pem
	$(BIN)/mcred status init $(OUT)/revocations.jwt --format token-status-list \
		--id https://its-esempio.example/status/1 --key keys/TEST-ONLY-p256-issuer.pem \
		--cert keys/TEST-ONLY-p256-issuer.chain.pem
	$(BIN)/mcred issue examples/its-python-data.yaml --format sd-jwt-vc --key keys/TEST-ONLY-p256-issuer.pem \
		--cert keys/TEST-ONLY-p256-issuer.chain.pem --holder-key keys/TEST-ONLY-holder.public.pem \
		--status-list $(OUT)/revocations.jwt --out $(OUT)/giulia.sd-jwt
	$(BIN)/mcred present $(OUT)/giulia.sd-jwt --disclose credentialSubject.given_name,credentialSubject.family_name \
		--holder-key keys/TEST-ONLY-holder.pem --nonce 8f2c1d --aud https://employer.example \
		--out $(OUT)/for-employer.sd-jwt
	$(BIN)/mcred verify $(OUT)/for-employer.sd-jwt --trust $(OUT)/wallet-trust.yaml \
		--status-list $(OUT)/revocations.jwt --nonce 8f2c1d --aud https://employer.example
	$(BIN)/mcred status revoke $(OUT)/revocations.jwt $(OUT)/giulia.sd-jwt --key keys/TEST-ONLY-p256-issuer.pem
	@echo "--- once revoked, the same presentation must fail (exit 1):"
	$(BIN)/mcred verify $(OUT)/for-employer.sd-jwt --trust $(OUT)/wallet-trust.yaml \
		--status-list $(OUT)/revocations.jwt --nonce 8f2c1d --aud https://employer.example; test $$? -eq 1
	@echo "--- one award in four formats (ELM/EDC, ELM 3.2 on VC 2.0, SD-JWT VC, Open Badges 3.0), bound by a signed bundle:"
	$(BIN)/mcred issue examples/its-python-data.yaml --formats edc,vc2,sd-jwt-vc,ob3 --key $(OUT)/issuer.pem \
		--ec-key keys/TEST-ONLY-p256-issuer.pem --cert keys/TEST-ONLY-p256-issuer.chain.pem --out-dir $(OUT)/bundle
	$(BIN)/mcred verify $(OUT)/bundle/ --trust $(OUT)/wallet-trust.yaml
	@echo "--- a Europass credential sealed by EDC (JAdES), checked offline (a TEST-ONLY trust file for its CA):"
	$(BIN)/mcred verify tests/assets/jades/ec-Sample-MC-Annex1-signed-jades.jsonld \
		--trust tests/assets/jades/TEST-ONLY-ec-test-ca.trust.yaml
	$(BIN)/python -c "import json,sys; d=json.load(open(sys.argv[1])); \
		d['credentialSubject']['givenName']={'it':'Mallory'}; json.dump(d,open(sys.argv[2],'w'))" \
		$(OUT)/credential.json $(OUT)/forged.json
	@echo "--- a forged copy must fail (exit 1):"
	$(BIN)/mcred verify $(OUT)/forged.json; test $$? -eq 1
	@echo "demo OK: files in $(OUT)/"

# The whole suite: unit, CLI, W3C vectors and RDFC-1.0 suite, the wheel, interop with Node, and the pages
# in a headless Chromium, spread over every core (pytest-xdist; JOBS=1 runs it in one process).
JOBS ?= auto
test: install interop lint browser
	$(BIN)/python -m pytest -n $(JOBS)

# A Chromium for the browser tests: installed with apt-get when none is on PATH (.ci/install-browser);
# MCRED_NO_BROWSER=1 skips them, and this step, on purpose.
browser:
	@if [ -n "$$MCRED_NO_BROWSER" ] || command -v chromium >/dev/null 2>&1 \
		|| command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 \
		|| [ -n "$$MCRED_CHROMIUM" ]; then :; \
	else echo "no Chromium on PATH: installing it with .ci/install-browser"; \
		.ci/install-browser || { echo "install Chromium, then run make test again: .ci/install-browser" \
		"(or: sudo apt-get install chromium fonts-dejavu-core)"; exit 1; }; fi

# ruff, then the architecture: the layers and contracts in pyproject.toml ([tool.importlinter])
lint: install
	$(BIN)/ruff check mcred tests benchmarks
	$(BIN)/lint-imports

test-fast: install
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow and not interop"

examples: install
	$(BIN)/mcred sign examples/elm-microcredential.json --key keys/TEST-ONLY-issuer.pem \
		--created 2026-06-30T10:00:00Z --out examples/elm-microcredential.signed.json --force
	$(BIN)/mcred sign examples/elm-microcredential.json --key keys/TEST-ONLY-issuer.pem \
		--created 2026-06-30T10:00:00Z --suite eddsa-jcs-2022 \
		--out examples/elm-microcredential.jcs.signed.json --force

clean:
	rm -rf $(VENV) $(OUT) dist build interop/node_modules
