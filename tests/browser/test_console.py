"""The training console's main flows in Chromium, by keyboard where a person would type."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD, screenshot


def wait(driver, seconds=20):
    # A page that navigates while it is read leaves stale elements: read it again.
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,))


def sign_in(driver, network, organization, user):
    driver.get(network.console + "/login")
    Select(driver.find_element(By.ID, "organization")).select_by_value(organization)
    driver.find_element(By.ID, "user").send_keys(user)
    # Enter in the password field submits the form: no mouse needed.
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait(driver, 20).until(lambda d: "メニュー" in d.title)


def inquire(driver, network, address_number, item, provider, information, system="tomakomai/kokuho", action="send"):
    driver.get(network.console + "/inquiry")
    Select(driver.find_element(By.ID, "system")).select_by_value(system)
    field = driver.find_element(By.ID, "addressNumber")
    field.clear()
    field.send_keys(address_number)
    Select(driver.find_element(By.ID, "item")).select_by_value(item)
    Select(driver.find_element(By.ID, "provider")).select_by_value(provider)
    Select(driver.find_element(By.ID, "information")).select_by_value(information)
    button = driver.find_element(By.CSS_SELECTOR, f"button[value={action}]")
    # Keyboard only: focus the button and press Enter.
    button.send_keys(Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "reception") or d.find_elements(By.ID, "check"))


def assert_every_field_labelled(driver):
    for element in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select"):
        identifier = element.get_attribute("id")
        wrapped = element.find_elements(By.XPATH, "ancestor::label")
        labelled = identifier and driver.find_elements(By.CSS_SELECTOR, f"label[for='{identifier}']")
        assert wrapped or labelled, f"a field without a label on {driver.current_url}: {element.get_attribute('outerHTML')}"


def test_sign_in_inquire_and_read_the_result(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    screenshot(driver, "home")
    inquire(driver, network, "0001000002", "42", "sapporo", "TM00000000000002", action="check")
    assert "照会できます" in driver.find_element(By.ID, "check").text
    assert_every_field_labelled(driver)
    screenshot(driver, "inquiry")
    inquire(driver, network, "0001000002", "42", "sapporo", "TM00000000000002")
    assert "completed" in driver.find_element(By.ID, "status").text
    assert "合計所得金額" in driver.page_source
    screenshot(driver, "result")


def test_a_denial_names_the_rule_and_the_field(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    inquire(driver, network, "0001000002", "42", "nenkin", "TM90000000000004")
    check = driver.find_element(By.ID, "check").text
    assert "RULE_NOT_PERMITTED" in check
    assert "情報照会先 (provider)" in check
    screenshot(driver, "denial")


def test_a_tax_user_cannot_open_kokuho_results(network, browser):
    kokuho = browser()
    sign_in(kokuho, network, "tomakomai", "user01")
    inquire(kokuho, network, "0001000002", "42", "sapporo", "TM00000000000002")
    reception = kokuho.find_element(By.ID, "reception").text
    zei = browser()
    sign_in(zei, network, "tomakomai", "zei01")
    # By the page (the 受付番号 form) and by the URL.
    zei.get(network.console + "/results")
    zei.find_element(By.ID, "reception").send_keys(reception + Keys.ENTER)
    wait(zei, 20).until(lambda d: "SYSTEM_NOT_AUTHORIZED" in d.page_source)
    assert "合計所得金額" not in zei.page_source
    zei.get(network.console + "/results/" + reception)
    assert "SYSTEM_NOT_AUTHORIZED" in zei.page_source
    assert "合計所得金額" not in zei.page_source


def test_manual_response_withheld_with_a_reason(network, browser):
    trainer = browser()
    sign_in(trainer, network, "tomakomai", "trainer01")
    trainer.get(network.console + "/trainer")
    Select(trainer.find_element(By.ID, "scenario")).select_by_value("training")
    trainer.find_element(By.ID, "scenario").submit()
    wait(trainer, 60).until(lambda d: d.find_element(By.ID, "current-scenario").text == "training")
    asker = browser()
    sign_in(asker, network, "tomakomai", "user01")
    inquire(asker, network, "0001000003", "42", "sapporo", "TM00000000000002")
    reception = asker.find_element(By.ID, "reception").text
    assert "awaiting_manual" in asker.find_element(By.ID, "status").text
    staff = browser()
    sign_in(staff, network, "sapporo", "user01")
    staff.get(network.console + "/queue")
    assert reception in staff.page_source
    countdown = staff.find_element(By.CSS_SELECTOR, ".countdown").text
    assert "時間" in countdown, countdown
    assert_every_field_labelled(staff)
    screenshot(staff, "queue")
    staff.find_element(By.ID, "reason-" + reception).send_keys("DV等支援措置の対象者のため")
    staff.find_element(By.CSS_SELECTOR, f"form[action='/queue/{reception}'] button[value=withhold]").send_keys(Keys.ENTER)
    wait(staff, 20).until(lambda d: "不提供と" in d.page_source)
    asker.get(network.console + "/results/" + reception)
    wait(asker, 30).until(lambda d: "withheld" in d.find_element(By.ID, "status").text or d.refresh())


def test_an_exercise_is_completed_and_scored(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    driver.get(network.console + "/exercises/item42-nenkin")
    driver.find_element(By.ID, "start").send_keys(Keys.ENTER)
    wait(driver, 20).until(lambda d: d.find_elements(By.ID, "score"))
    assert "0 / 2" in driver.find_element(By.ID, "score").text
    inquire(driver, network, "0001000002", "42", "nenkin", "TM90000000000004")
    driver.get(network.console + "/exercises/item42-nenkin")
    assert "1 / 2" in driver.find_element(By.ID, "score").text
    driver.find_element(By.CSS_SELECTOR, "#step-why input[value=b]").send_keys(Keys.SPACE)
    driver.find_element(By.CSS_SELECTOR, "#step-why button").send_keys(Keys.ENTER)
    wait(driver, 20).until(lambda d: "2 / 2" in d.find_element(By.ID, "score").text)
    assert "完了しました" in driver.page_source
    screenshot(driver, "exercise")
    trainer = browser()
    sign_in(trainer, network, "tomakomai", "trainer01")
    trainer.get(network.console + "/trainer")
    assert "tomakomai/user01" in trainer.page_source
    assert "2 / 2" in trainer.page_source
    screenshot(trainer, "trainer")


def test_audit_status_per_node(network, browser):
    driver = browser()
    sign_in(driver, network, "tomakomai", "user01")
    driver.get(network.console + "/audit")
    wait(driver, 60).until(lambda d: d.find_elements(By.ID, "audit-result"))
    assert "すべてのノードで検証に成功しました" in driver.find_element(By.ID, "audit-result").text
    for node in ["nws", "jlis", "ms-municipal", "atena-tomakomai"]:
        assert node + ": " in driver.page_source
    assert "witnessed by tsa" in driver.page_source
    screenshot(driver, "audit")
